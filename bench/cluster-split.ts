/**
 * `npx tsx bench/cluster-split.ts`: where position-batch.lua's Redis time goes per fix, on one redis-server and on
 * a three-master Redis Cluster (test/support/redis-cluster.ts), from `INFO commandstats`: the same 102,400 fixes of
 * 1,000 members, in batches of 256 (4 in flight) through `positionBatch`, which under Cluster splits each batch
 * into one call per master with per-slot claim groups. A third run sends the cluster's calls (three "masters" by
 * slot range, per-slot groups) to the one redis-server, which is not in cluster mode: the grouping's own cost apart
 * from cluster mode's. docs/scaling.md "Redis Cluster" uses the figures.
 */
import { Cluster, Redis } from 'ioredis';
import { fixJson } from '../protocol/fix-json.js';
import { slotClaimsPrefix } from '../relay/positioning/keys.js';
import { createPositioning } from '../relay/positioning/positioning.js';
import { defineScripts } from '../relay/positioning/scripts.js';
import { slotOf } from '../relay/positioning/slots.js';
import { startPrivateCluster } from '../test/support/redis-cluster.js';
import { startPrivateRedis } from '../test/support/redis-server.js';

const MEMBERS = 1000;
const BATCHES = 400;
const SIZE = 256;
const IGNORED = new Set([
  'info',
  'cluster',
  'config',
  'ping',
  'command',
  'client',
  'hello',
  'select',
  'replconf',
]);

type Batch = {
  fix: { uid: string; lat: number; lon: number; ts: number; crs: 'gcj02' };
  idempotencyKey: string;
}[];

/** A one-server stand-in for the cluster path: the batch cut by slot range into three calls, grouped by slot. */
function groupedOnOne(redis: Redis) {
  const scripts = defineScripts(redis);
  return (items: Batch) => {
    const thirds: { line: string; slot: number }[][] = [[], [], []];
    for (const { fix, idempotencyKey } of items) {
      const slot = slotOf(fix.uid);
      const line = `${fix.uid}\t${fix.ts}\t${idempotencyKey}\t${fixJson(fix)}\n`;
      thirds[slot < 5461 ? 0 : slot < 10923 ? 1 : 2]?.push({ line, slot });
    }
    return Promise.all(
      thirds.map((list) => {
        list.sort((a, b) => a.slot - b.slot);
        let packed = '';
        let groups = '';
        for (let k = 0; k < list.length;) {
          const slot = list[k]?.slot as number;
          let n = 0;
          for (; k < list.length && list[k]?.slot === slot; k++, n++) packed += list[k]?.line;
          groups += `${slotClaimsPrefix('grouped:', slot)}\t${n}\n`;
        }
        const first = list[0]?.slot as number;
        return scripts.lodestarPositionBatchCluster(
          slotClaimsPrefix('grouped:', first),
          60_000,
          86_400_000,
          200_000,
          '',
          `e${Date.now()}`,
          'grouped:',
          list.length,
          packed,
          groups,
        );
      }),
    );
  };
}

async function run(
  label: string,
  position: (items: Batch) => Promise<unknown>,
  masters: Redis[],
): Promise<void> {
  for (const m of masters) await m.config('RESETSTAT');
  let seq = 0;
  const t0 = Date.now();
  const batch = (): Batch =>
    Array.from({ length: SIZE }, () => {
      const n = seq++;
      const fix = { uid: String(1 + (n % MEMBERS)), lat: 23 + (n % 1000) / 1e5, lon: 113.3, ts: t0 + n };
      return { fix: { ...fix, crs: 'gcj02' as const }, idempotencyKey: `k${n}` };
    });
  for (let b = 0; b < BATCHES; b += 4) await Promise.all([0, 1, 2, 3].map(() => position(batch())));
  const elapsed = Date.now() - t0;
  const totals = new Map<string, { calls: number; usec: number }>();
  for (const m of masters) {
    const stats = await m.info('commandstats');
    for (const [, cmd, calls, usec] of stats.matchAll(/^cmdstat_(\w+):calls=(\d+),usec=(\d+)/gm)) {
      if (IGNORED.has(cmd as string)) continue;
      const t = totals.get(cmd as string) ?? { calls: 0, usec: 0 };
      t.calls += Number(calls);
      t.usec += Number(usec);
      totals.set(cmd as string, t);
    }
  }
  const rows = [...totals.entries()]
    .sort((a, b) => b[1].usec - a[1].usec)
    .map(
      ([cmd, t]) => `  ${cmd}: ${(t.calls / seq).toFixed(2)} calls, ${(t.usec / seq).toFixed(2)} µs per fix`,
    );
  process.stdout.write(`${label}: ${seq} fixes in ${elapsed} ms\n${rows.join('\n')}\n`);
}

const single = await startPrivateRedis();
const one = new Redis(single.url, { enableAutoPipelining: true });
try {
  await run(
    'one redis-server',
    (items) => createPositioning(one, { keyPrefix: 'split:' }).positionBatch(items),
    [one],
  );
  await run('one redis-server, the cluster calls (per-slot groups)', groupedOnOne(one), [one]);
} finally {
  one.disconnect();
  await single.stop();
}
const cluster = await startPrivateCluster();
const client = new Cluster(
  cluster.ports.map((port) => ({ host: '127.0.0.1', port })),
  { enableAutoPipelining: true },
);
const masters = (await cluster.masterPorts()).map((port) => new Redis({ host: '127.0.0.1', port }));
try {
  await new Promise((resolve) => client.once('ready', resolve));
  const p = createPositioning(client, { keyPrefix: 'split:' });
  await run('cluster, three masters summed', (items) => p.positionBatch(items), masters);
} finally {
  client.disconnect();
  for (const m of masters) m.disconnect();
  await cluster.stop();
}
