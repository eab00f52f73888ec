/**
 * Positioning while a member's hash slot migrates between masters (resharding: CLUSTER SETSLOT MIGRATING and
 * IMPORTING, keys moved one by one). A script that touches a key of a migrating slot the node no longer (or does
 * not yet) hold fails; it must fail before it writes, or its retry finds its own claims and takes the fix for a
 * duplicate: the fix would be lost without a count.
 */
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPositioning, type Positioning } from './positioning/positioning.js';
import { slotClaimsPrefix } from './positioning/keys.js';
import { slotOf } from './positioning/slots.js';
import { hasRedisCluster, startPrivateCluster, type PrivateCluster } from '../test/support/redis-cluster.js';
import { askNode } from '../test/support/redis-nodes.js';
import { until } from '../test/support/wait.js';

const PREFIX = 'migrating-test:';
const TTL_MS = 60_000;

describe.skipIf(!hasRedisCluster)('positioning while a slot migrates', () => {
  let cluster: PrivateCluster;
  let backend: Cluster;
  let positioning: Positioning;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    backend = new Cluster(
      cluster.ports.map((port) => ({ host: '127.0.0.1', port })),
      { enableAutoPipelining: true },
    );
    backend.on('error', () => undefined);
    await until(() => backend.status === 'ready', { what: 'cluster client ready' });
    positioning = createPositioning(backend, { keyPrefix: PREFIX, idempotencyTtlMs: TTL_MS });
  }, 60_000);

  afterAll(async () => {
    backend?.disconnect();
    await cluster?.stop();
  });

  it.each([
    ['positionBatch', (uid: string, key: string, ts: number) => batchOne(uid, key, ts)],
    ['position', (uid: string, key: string, ts: number) => single(uid, key, ts)],
  ] as const)(
    '%s: a call refused mid-migration is positioned when tried again',
    async (_name, call) => {
      const uid = _name === 'position' ? '5151' : '4242';
      const slot = slotOf(uid);
      await until(() => backend.slots[slot]?.[0], { what: 'slot map' });
      const source = Number(backend.slots[slot]?.[0]?.split(':')[1]);
      const masters = await cluster.masterPorts();
      const target = masters.find((p) => p !== source) as number;
      const base = Date.now();
      expect(await call(uid, `first-${base}`, base)).toBe('positioned');

      // Steady state of the claim sets: the two previous buckets hold claims too (the one before them is gone).
      const width = Math.ceil(TTL_MS / 2);
      const prefix = slotClaimsPrefix(PREFIX, slot);
      const time = (await askNode(source, 'TIME')) as [string, string];
      const bucket = Math.floor((Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000)) / width);
      for (const b of [bucket - 1, bucket - 2])
        await askNode(source, 'SADD', `${prefix}${b}`, `${uid}:older`);
      await askNode(source, 'UNLINK', `${prefix}${bucket - 3}`);

      const sourceId = String(await askNode(source, 'CLUSTER', 'MYID'));
      const targetId = String(await askNode(target, 'CLUSTER', 'MYID'));
      await askNode(target, 'CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', sourceId);
      await askNode(source, 'CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', targetId);
      let outcome: string;
      let keysOnTarget: unknown;
      try {
        outcome = await call(uid, `second-${base}`, base + 1);
        // Nothing was written on the importing node (ioredis follows the ASK there): keys it holds of the slot
        // are lost when the migration is called off, and stop redis-cli's MIGRATE (BUSYKEY) when it goes on.
        keysOnTarget = await askNode(target, 'CLUSTER', 'COUNTKEYSINSLOT', String(slot));
      } finally {
        // The migration is called off: the slot stays on its master, with every key it had.
        await askNode(source, 'CLUSTER', 'SETSLOT', String(slot), 'STABLE');
        await askNode(target, 'CLUSTER', 'SETSLOT', String(slot), 'STABLE');
      }
      expect(keysOnTarget).toBe(0);
      if (outcome !== 'positioned') {
        expect(outcome).toBe('unavailable');
        // The caller tries again (the raw consumer holds it, PHP re-sends): it is positioned now, not a duplicate.
        expect(await call(uid, `second-${base}`, base + 1)).toBe('positioned');
      }
      expect((await positioning.latest(uid))?.ts).toBe(base + 1);
    },
    30_000,
  );

  async function batchOne(uid: string, key: string, ts: number): Promise<string> {
    const [outcome] = await positioning.positionBatch([
      { fix: { uid, lat: 23.1, lon: 113.3, ts, crs: 'gcj02' }, idempotencyKey: key },
    ]);
    return typeof outcome === 'string' ? outcome : (outcome?.code ?? 'none');
  }

  async function single(uid: string, key: string, ts: number): Promise<string> {
    try {
      const positioned = await positioning.position({ uid, lat: 23.1, lon: 113.3, ts, crs: 'gcj02' }, key);
      return positioned ? 'positioned' : 'duplicate';
    } catch (error) {
      return (error as { code?: string }).code ?? 'error';
    }
  }
});
