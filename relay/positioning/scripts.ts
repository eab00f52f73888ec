/**
 * The positioning Lua scripts and their registration on an ioredis connection. Scripts go through ioredis
 * `defineCommand`: EVALSHA, falling back to EVAL on NOSCRIPT (a restarted Redis has no scripts), and they
 * auto-pipeline like any command when the connection has `enableAutoPipelining`.
 */
import type { Redis } from 'ioredis';
import type { RedisClient } from '../redis.js';
import { readFileSync } from 'node:fs';

/** The position script's source, for callers outside Node (PHP: docs/php.md) that load it themselves. */
export const POSITION_SCRIPT = readFileSync(new URL('./position.lua', import.meta.url), 'utf8');
const HISTORY_SCRIPT = readFileSync(new URL('./history.lua', import.meta.url), 'utf8');
const RETIRE_EPOCH_SCRIPT = readFileSync(new URL('./retire-epoch.lua', import.meta.url), 'utf8');
/**
 * The batch script is position.lua's functions (everything above its `-- main --` line) followed by the batch
 * loop, so the single-fix script that PHP calls and the batch share one implementation of `positionOne`.
 */
const POSITION_MAIN_MARKER = '\n-- main --\n';
const POSITION_FUNCTIONS = POSITION_SCRIPT.slice(0, POSITION_SCRIPT.indexOf(POSITION_MAIN_MARKER));
const POSITION_BATCH_SCRIPT = `${POSITION_FUNCTIONS}
${readFileSync(new URL('./position-batch.lua', import.meta.url), 'utf8')}`;

/**
 * The batch script for Redis Cluster: one call covers the slots of one node (position-batch.lua ARGV[9]), which
 * Redis 7 allows a script only with this flag. Redis before 7.0 does not know the flag: single-Redis and Sentinel
 * deployments keep the plain script.
 */
const POSITION_BATCH_CLUSTER_SCRIPT = `#!lua flags=allow-cross-slot-keys\n${POSITION_BATCH_SCRIPT}`;

/** The scripts as commands of the connection they were defined on. */
export interface PositioningScripts {
  lodestarPosition(...keysAndArgs: (string | number)[]): Promise<string | null>;
  lodestarPositionBatch(...keysAndArgs: (string | number)[]): Promise<(1 | string | null)[]>;
  lodestarPositionBatchCluster(...keysAndArgs: (string | number)[]): Promise<(1 | string | null)[]>;
  lodestarHistory(...keysAndArgs: (string | number)[]): Promise<string[]>;
  lodestarRetireEpoch(...keysAndArgs: (string | number)[]): Promise<number>;
}

export function defineScripts(redis: RedisClient): PositioningScripts {
  redis.defineCommand('lodestarPosition', { numberOfKeys: 4, lua: POSITION_SCRIPT });
  redis.defineCommand('lodestarPositionBatch', { numberOfKeys: 1, lua: POSITION_BATCH_SCRIPT });
  redis.defineCommand('lodestarPositionBatchCluster', {
    numberOfKeys: 1,
    lua: POSITION_BATCH_CLUSTER_SCRIPT,
  });
  redis.defineCommand('lodestarHistory', { numberOfKeys: 3, lua: HISTORY_SCRIPT });
  redis.defineCommand('lodestarRetireEpoch', { numberOfKeys: 1, lua: RETIRE_EPOCH_SCRIPT });
  return redis as unknown as PositioningScripts;
}

const definedOnNode = new WeakSet<Redis>();

/**
 * The Cluster batch script on one node's own connection (one of the Cluster client's, `cluster.nodes()`): with
 * replica acknowledgements the relay runs it there and sends WAIT on the same connection (acked-publish.ts).
 */
export function clusterBatchOn(node: Redis): PositioningScripts['lodestarPositionBatchCluster'] {
  if (!definedOnNode.has(node)) {
    node.defineCommand('lodestarPositionBatchCluster', {
      numberOfKeys: 1,
      lua: POSITION_BATCH_CLUSTER_SCRIPT,
    });
    definedOnNode.add(node);
  }
  const scripts = node as unknown as PositioningScripts;
  return (...keysAndArgs) => scripts.lodestarPositionBatchCluster(...keysAndArgs);
}
