/**
 * The customer's relay today (shared/seed/seed_relay.py, beside the checkout, run from there and never copied in)
 * beside Lodestar's, under the same load in the same run: one publisher on the shared Redis's `location_update`
 * (the seed binds 0.0.0.0:30582 and Redis 127.0.0.1:6379, hard-coded), both relays subscribed at once, each with
 * 3 stations per member. Lodestar runs with its defaults (positioning on) under a unique key prefix; its keys are
 * unlinked afterwards (never a flush: the Redis is shared). The seed relay is started afresh for every rate, so
 * the backlog it cannot deliver does not spill into the next stage.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { spawnRelay } from '../test/support/relay.js';
import { cpuMsOf, memoryKbOf } from './proc-stats.js';
import { publishAt } from './relay-publisher.js';
import { openStationsInChild, type RemoteStationPool } from './relay-stations.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SEED_RATES = [10, 100, 1000, 10_000];
export const SEED_MEMBERS = 100;
export const SEED_WATCHERS = 3;
const SEED_PORT = 30582;
const SHARED_REDIS = 'redis://127.0.0.1:6379';
const CHANNEL = 'location_update';
/** Bench members' uids start here, far from the demo's and tests' small numbers. */
const FIRST_UID = 7_310_001;
export const SEED_DRAIN_MS = 2000;

/** shared/seed/ beside the checkout (worktrees: beside the main checkout); SEED_RELAY overrides. */
export function seedRelayPath(): string | undefined {
  const candidates = [process.env.SEED_RELAY, resolve(ROOT, '../shared/seed/seed_relay.py')];
  try {
    const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], {
      cwd: ROOT,
    })
      .toString()
      .trim();
    candidates.push(resolve(dirname(common), '../shared/seed/seed_relay.py'));
  } catch {
    // not a git checkout
  }
  return candidates.find((p): p is string => p !== undefined && existsSync(p));
}

export interface SeedRow {
  relay: 'seed' | 'lodestar';
  rate: number;
  published: number;
  /** Fix frames received during the stage and SEED_DRAIN_MS after it, per second of publishing. */
  deliveredPerSecond: number;
  /** Fix frames received per second of the stage and its drain together. */
  framesPerWallSecond: number;
  /** Share of published × watchers never received. */
  loss: number;
  p50: number;
  p99: number;
  max: number;
  /** Process CPU, share of one core, over the stage and its drain. */
  core: number;
  rssMb: number;
  peakMb: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(true));
  });
}

async function subscribers(redis: Redis, channel: string): Promise<number> {
  const reply = (await redis.call('PUBSUB', 'NUMSUB', channel)) as [string, number];
  return Number(reply[1]);
}

async function startSeed(path: string, redis: Redis): Promise<ChildProcess> {
  const before = await subscribers(redis, CHANNEL);
  // Its log (a line per fix and per send at INFO) goes nowhere: reading it would cost this process CPU.
  const child = spawn('/usr/bin/python3', [path], { stdio: 'ignore' });
  const deadline = Date.now() + 15_000;
  while ((await portFree(SEED_PORT)) || (await subscribers(redis, CHANNEL)) <= before) {
    if (child.exitCode !== null) throw new Error(`the seed relay exited with ${child.exitCode}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the seed relay did not start');
    }
    await sleep(100);
  }
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

async function unlinkPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) removed += await redis.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}

interface Measured {
  pool: RemoteStationPool;
  pid: number | undefined;
  cpu0: number;
}

async function rowOf(
  relay: SeedRow['relay'],
  m: Measured,
  rate: number,
  published: number,
  publishMs: number,
  wallMs: number,
): Promise<SeedRow> {
  const received = await m.pool.received();
  const latency = await m.pool.latency();
  const memory = memoryKbOf(m.pid);
  return {
    relay,
    rate,
    published,
    deliveredPerSecond: (received / publishMs) * 1000,
    framesPerWallSecond: (received / wallMs) * 1000,
    loss: Math.max(0, 1 - received / (published * SEED_WATCHERS)),
    p50: latency.p50,
    p99: latency.p99,
    max: latency.max,
    core: (cpuMsOf(m.pid) - m.cpu0) / wallMs,
    rssMb: memory.rss / 1024,
    peakMb: memory.peak / 1024,
  };
}

export interface SeedRun {
  rows: SeedRow[];
  /** Other subscribers of the shared channels seen before the run: their relays would take the load too. */
  otherSubscribers: number;
  skipped?: string;
}

export async function seedComparison(token: string, stageMs: number): Promise<SeedRun> {
  const path = seedRelayPath();
  if (!path)
    return { rows: [], otherSubscribers: 0, skipped: 'shared/seed/seed_relay.py not found (SEED_RELAY)' };
  if (!existsSync('/usr/bin/python3'))
    return {
      rows: [],
      otherSubscribers: 0,
      skipped: '/usr/bin/python3 missing (python3-websockets, python3-redis)',
    };
  if (!(await portFree(SEED_PORT)))
    return { rows: [], otherSubscribers: 0, skipped: `port ${SEED_PORT} (the seed's, fixed) is in use` };
  const redis = new Redis(SHARED_REDIS, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
  } catch {
    return { rows: [], otherSubscribers: 0, skipped: `no Redis on ${SHARED_REDIS} (the seed's, fixed)` };
  }
  const prefix = `bench-seed-${randomBytes(4).toString('hex')}:`;
  const otherSubscribers =
    (await subscribers(redis, CHANNEL)) + (await subscribers(redis, `${CHANNEL}:positioned`));
  const lodestar = await spawnRelay({
    REDIS_URL: SHARED_REDIS,
    // The bench's stations all share one operator token: no per-operator connection limit here.
    RELAY_MAX_CONNECTIONS_PER_OPERATOR: '0',
    RELAY_DRAIN_MS: '0',
    RELAY_KEY_PREFIX: prefix,
  });
  const rows: SeedRow[] = [];
  const lists = Array.from({ length: SEED_MEMBERS * SEED_WATCHERS }, (_, s) => [
    String(FIRST_UID + (s % SEED_MEMBERS)),
  ]);
  const lodestarPool = await openStationsInChild(lodestar.wsUrl, token, lists);
  try {
    for (const rate of SEED_RATES) {
      const seed = await startSeed(path, redis);
      const seedPool = await openStationsInChild(`ws://127.0.0.1:${SEED_PORT}`, '', lists, 'seed');
      // The seed registers a connection on its first message and logs every member's count on each: let it settle.
      await sleep(1500);
      await lodestarPool.reset();
      const measured = {
        seed: { pool: seedPool, pid: seed.pid, cpu0: cpuMsOf(seed.pid) },
        lodestar: { pool: lodestarPool, pid: lodestar.child.pid, cpu0: cpuMsOf(lodestar.child.pid) },
      };
      const t0 = Date.now();
      const published = await publishAt(redis, CHANNEL, rate, stageMs, SEED_MEMBERS, FIRST_UID);
      const publishMs = Date.now() - t0;
      await sleep(SEED_DRAIN_MS);
      const wallMs = Date.now() - t0;
      for (const [relay, m] of [
        ['seed', measured.seed],
        ['lodestar', measured.lodestar],
      ] as const) {
        const row = await rowOf(relay, m, rate, published, publishMs, wallMs);
        rows.push(row);
        process.stderr.write(
          `bench: ${relay} relay at ${rate.toLocaleString('en-US')} fixes/s: delivered ${Math.round(row.deliveredPerSecond)}/s, ` +
            `loss ${(row.loss * 100).toFixed(1)} %, p50 ${row.p50} ms, p99 ${row.p99} ms, CPU ${Math.round(row.core * 100)} %, ` +
            `RSS ${row.rssMb.toFixed(0)} MB\n`,
        );
      }
      await seedPool.close();
      await stop(seed);
    }
  } finally {
    await lodestarPool.close();
    lodestar.child.kill('SIGTERM');
    await lodestar.exited;
    const removed = await unlinkPrefix(redis, prefix);
    process.stderr.write(`bench: unlinked ${removed} keys under ${prefix} on the shared Redis\n`);
    redis.disconnect();
  }
  return { rows, otherSubscribers };
}
