/**
 * `npm run bench:relay -- --cluster`: the positioning relay on a private Redis Cluster (three masters, three
 * replicas: test/support/redis-cluster.ts), 100 stations watching 1,000 members, raw fixes PUBLISHed as PHP does at
 * rising rates. Per stage: published and delivered fixes/s, p50/p99, and per master the fixes it positioned
 * (`XADD` calls, one per fix) and its Redis CPU (INFO cpu) per fix.
 *
 * `BENCH_REPLICA_ACKS=0,auto` runs the cluster stages once per RELAY_REPLICA_ACKS value, back to back on the same
 * cluster (default: `auto`, the relay's default: positions published once a replica acknowledged the batch), and
 * `BENCH_SINGLE=off` leaves out the single-Redis stages.
 *
 * On a 2-core machine the three masters, their replicas, the relay, the publisher and the stations share two cores,
 * so this shows that the cluster positions correctly and evenly, not how fast it goes: the capacity model is
 * fixes/s per Redis thread (from the CPU per fix here) × masters (docs/scaling.md).
 */
import { Redis } from 'ioredis';
import { startPrivateCluster } from '../test/support/redis-cluster.js';
import { startPrivateRedis } from '../test/support/redis-server.js';
import { operatorToken, spawnRelay } from '../test/support/relay.js';
import { publishAt } from './relay-publisher.js';
import { openStationsInChild } from './relay-stations.js';

const CHANNEL = 'location_update';
const STATIONS = 100;
const MEMBERS = 1000;
const STAGE_MS = Number(process.env.BENCH_STAGE_MS ?? 4000);
const RATES = [1000, 5000, 10_000, 20_000, 30_000, 40_000];
const REPLICA_ACKS = (process.env.BENCH_REPLICA_ACKS ?? 'auto').split(',').map((s) => s.trim());
const SINGLE = process.env.BENCH_SINGLE !== 'off';

const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(n < 10 ? 1 : 0)} ms` : '—');

interface NodeSample {
  cpuMs: number;
  xadds: number;
  /** Time Redis spent running the scripts (EVALSHA, EVAL), ms: positioning's own cost. */
  scriptMs: number;
}

async function sampleNode(redis: Redis): Promise<NodeSample> {
  const cpu = await redis.info('cpu');
  const stats = await redis.info('commandstats');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(cpu)?.[1] ?? NaN);
  const stat = (cmd: string, what: string) =>
    Number(new RegExp(`^cmdstat_${cmd}:.*\\b${what}=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
  return {
    cpuMs: (field('used_cpu_sys') + field('used_cpu_user')) * 1000,
    xadds: stat('xadd', 'calls'),
    scriptMs: (stat('evalsha', 'usec') + stat('eval', 'usec')) / 1000,
  };
}

export interface ClusterStage {
  setup: 'single' | 'cluster';
  /** RELAY_REPLICA_ACKS of the relay. */
  acks: string;
  target: number;
  published: number;
  delivered: number;
  p50: number;
  p99: number;
  /**
   * Per master: fixes positioned, Redis CPU µs per positioned fix (all of it: scripts, pub/sub, the cluster bus,
   * replication), of which the scripts, and its share of a core.
   */
  nodes: { port: number; fixes: number; usPerFix: number; scriptUsPerFix: number; core: number }[];
}

/**
 * The same stages on one redis-server first (the baseline: what one Redis thread does per fix on this machine now),
 * then on the cluster.
 */
export async function clusterBench(): Promise<ClusterStage[]> {
  const stages: ClusterStage[] = [];
  if (SINGLE) {
    const single = await startPrivateRedis();
    try {
      stages.push(...(await stagesOn('single', [single.port], { REDIS_URL: single.url })));
    } finally {
      await single.stop();
    }
  }
  const cluster = await startPrivateCluster();
  try {
    const masters = await cluster.masterPorts();
    for (const acks of REPLICA_ACKS)
      stages.push(
        ...(await stagesOn('cluster', masters, {
          REDIS_CLUSTER_NODES: cluster.nodes,
          RELAY_REPLICA_ACKS: acks,
        })),
      );
  } finally {
    await cluster.stop();
  }
  return stages;
}

async function stagesOn(
  setup: ClusterStage['setup'],
  masterPorts: number[],
  redisEnv: Record<string, string>,
): Promise<ClusterStage[]> {
  const stages: ClusterStage[] = [];
  const masters = masterPorts.map((port) => new Redis({ host: '127.0.0.1', port }));
  // One PHP connection: under Cluster its PUBLISH reaches the relay's subscription over the cluster bus.
  const publisher = new Redis({ host: '127.0.0.1', port: masterPorts[0] as number });
  const relay = await spawnRelay({
    ...redisEnv,
    RELAY_MAX_CONNECTIONS_PER_OPERATOR: '0',
    RELAY_DRAIN_MS: '0',
    RELAY_KEY_PREFIX: `bench-${setup}-${redisEnv.RELAY_REPLICA_ACKS ?? 'auto'}:`,
  });
  const token = await operatorToken('*', 3600, 'bench');
  const lists = Array.from({ length: STATIONS }, (_, s) =>
    Array.from({ length: MEMBERS / STATIONS }, (_, i) => String(1 + s * (MEMBERS / STATIONS) + i)),
  );
  const pool = await openStationsInChild(relay.wsUrl, token, lists);
  for (const target of RATES) {
    await pool.reset();
    const before = await Promise.all(masters.map(sampleNode));
    const start = Date.now();
    const published = await publishAt(publisher, CHANNEL, target, STAGE_MS, MEMBERS);
    const delivered = await pool.received();
    const elapsed = Date.now() - start;
    const after = await Promise.all(masters.map(sampleNode));
    await new Promise((r) => setTimeout(r, 500));
    const { p50, p99 } = await pool.latency();
    const stage: ClusterStage = {
      setup,
      acks: redisEnv.RELAY_REPLICA_ACKS ?? 'auto',
      target,
      published: (published / elapsed) * 1000,
      delivered: (delivered / elapsed) * 1000,
      p50,
      p99,
      nodes: masterPorts.map((port, i) => {
        const a = before[i] as NodeSample;
        const b = after[i] as NodeSample;
        const fixes = b.xadds - a.xadds;
        return {
          port,
          fixes,
          usPerFix: ((b.cpuMs - a.cpuMs) * 1000) / fixes,
          scriptUsPerFix: ((b.scriptMs - a.scriptMs) * 1000) / fixes,
          core: (b.cpuMs - a.cpuMs) / elapsed,
        };
      }),
    };
    stages.push(stage);
    process.stderr.write(
      `bench: ${setup} (replica acks ${stage.acks}), target ${fmt(target)}/s: published ${fmt(stage.published)}/s, delivered ` +
        `${fmt(stage.delivered)}/s, p50 ${ms(p50)}, p99 ${ms(p99)}; per master: ` +
        stage.nodes
          .map(
            (n) =>
              `${fmt(n.fixes)} fixes, ${n.usPerFix.toFixed(1)} µs/fix (scripts ${n.scriptUsPerFix.toFixed(1)}), ` +
              `${Math.round(n.core * 100)} %`,
          )
          .join(' | ') +
        '\n',
    );
    if (stage.delivered < 0.9 * stage.published) break;
  }
  await pool.close();
  relay.child.kill('SIGTERM');
  await relay.exited;
  publisher.disconnect();
  for (const m of masters) m.disconnect();
  return stages;
}

/** The stages as a Markdown table, for docs/benchmarks.md. */
export function clusterTable(stages: readonly ClusterStage[]): string {
  const rows = stages.map((s) => {
    const total = s.nodes.reduce((a, n) => a + n.fixes, 0);
    const shares = s.nodes.map((n) => `${Math.round((100 * n.fixes) / total)} %`).join(' / ');
    const us = s.nodes.map((n) => n.usPerFix.toFixed(1)).join(' / ');
    const scripts = s.nodes.map((n) => n.scriptUsPerFix.toFixed(1)).join(' / ');
    const core = s.nodes.map((n) => `${Math.round(n.core * 100)} %`).join(' / ');
    return `| ${s.setup}, acks ${s.acks} | ${fmt(s.target)} | ${fmt(s.published)} | ${fmt(s.delivered)} | ${ms(s.p50)} | ${ms(s.p99)} | ${shares} | ${us} | ${scripts} | ${core} |`;
  });
  return [
    '| Redis | target fixes/s | published/s | delivered/s | p50 | p99 | fixes per master | Redis CPU µs/fix per master | of which scripts | Redis core per master |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
