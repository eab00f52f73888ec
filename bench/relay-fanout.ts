/**
 * The fan-out shapes of the relay's latency tail: every member watched by 3 stations, 10,000 fixes/s, 100 members
 * (300 stations, 30,000 deliveries/s) and 10 members (30 stations). Three relays take the same load in turn, each
 * on its own channel of the same private Redis so an idle one never sees the others' fixes: the minimal relay
 * (relay-minimal.ts, the calibration), Lodestar with positioning off, and Lodestar with positioning on (the
 * default). The shapes and relays are interleaved round by round, so a busy moment of the shared machine spreads
 * over all of them; each figure is the median of the rounds.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { freePort } from '../test/support/ports.js';
import { spawnRelay } from '../test/support/relay.js';
import type { Redis } from 'ioredis';
import { cpuMsOf } from './proc-stats.js';
import { hrUs, publishAt } from './relay-publisher.js';
import { openStationsInChild, percentile } from './relay-stations.js';

export const FANOUT_RATE = 10_000;
export const FANOUT_WATCHERS = 3;
export const FANOUT_SHAPES = [100, 10] as const;
export const FANOUT_RELAYS = ['minimal', 'off', 'on'] as const;
/**
 * `minimal`, `off`, `on`, or for A/B work a variant of one of them: `on+RELAY_X=1+--max-semi-space-size=32` adds
 * environment variables and node options to that relay's process (BENCH_FANOUT_RELAYS=on,on+RELAY_X=1);
 * `on+BENCH_ROOT=/work/wt/x-base` runs Lodestar's relay from another checkout (a worktree of the commit to compare).
 */
export type FanoutRelay = string;
const baseOf = (relay: string) => relay.split('+')[0] as (typeof FANOUT_RELAYS)[number];
const variantOf = (relay: string) => {
  const parts = relay.split('+').slice(1);
  return {
    env: Object.fromEntries(
      parts.filter((p) => !p.startsWith('--')).map((p) => p.split('=') as [string, string]),
    ),
    nodeArgs: parts.filter((p) => p.startsWith('--')),
  };
};
const WARMUP_MS = 1000;
const TAIL_MS = 1000;

export interface FanoutRow {
  relay: FanoutRelay;
  members: number;
  round: number;
  published: number;
  /** Fix frames received over the stage and its tail, as a share of published × watchers. */
  deliveredShare: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  /**
   * The same percentiles in ms from µs timings: send and receive on the host's monotonic clock (the ms figures take
   * the difference of two 1 ms clocks, each ±1 ms off). Same fixes, same moments, finer clock.
   */
  us: { p50: number; p90: number; p99: number; p999: number };
  /** Relay CPU, share of one core, while publishing. */
  relayCore: number;
  /** Redis CPU, share of its one core, while publishing. */
  redisCore: number;
  /** Fixes per EVALSHA (position-batch.lua calls), positioning on only. */
  fixesPerScriptCall: number;
  /**
   * Positioning on only: p99 of publish → the positioned fix seen by an independent subscriber on Redis's
   * positioned channel, i.e. the part of the station's latency spent before the fan-out (the relay reading the
   * raw message, its batch, the script in Redis, the PUBLISH back). Taken in a stage of its own right after this
   * one (`fanoutShapes`); NaN for the other relays.
   */
  positionedP99: number;
  /** `positionedP99` timed on the monotonic clock (ms, from µs). */
  positionedP99Us: number;
}

/**
 * Watches the positioned channel beside the relay: how long the fix took from the publisher to being positioned,
 * so the station's latency splits into the positioning hop and the fan-out after it.
 */
async function observePositioned(publisher: Redis, channel: string, sendTimes: ReadonlyMap<number, number>) {
  const observer = publisher.duplicate();
  const samples: number[] = [];
  const samplesUs: number[] = [];
  observer.on('message', (_channel: string, message: string) => {
    const atUs = hrUs();
    const now = Date.now();
    const parsed = JSON.parse(message) as { ts: number } | { ts: number }[];
    for (const fix of Array.isArray(parsed) ? parsed : [parsed]) {
      samples.push(now - fix.ts);
      const sentUs = sendTimes.get(fix.ts);
      if (sentUs !== undefined) samplesUs.push((atUs - sentUs) / 1000);
    }
  });
  await observer.subscribe(channel);
  const p99Of = (values: number[]) =>
    values.length === 0 ? NaN : percentile(Float64Array.from(values).sort(), 99);
  return {
    reset() {
      samples.length = 0;
      samplesUs.length = 0;
    },
    async p99() {
      observer.disconnect();
      return { ms: p99Of(samples), us: p99Of(samplesUs) };
    },
  };
}

async function redisStats(redis: Redis): Promise<{ cpuMs: number; evalshaCalls: number }> {
  const info = `${await redis.info('cpu')}\n${await redis.info('commandstats')}`;
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  const evalsha = /^cmdstat_evalsha:calls=(\d+)/m.exec(info)?.[1];
  return {
    cpuMs: (field('used_cpu_sys') + field('used_cpu_user')) * 1000,
    evalshaCalls: Number(evalsha ?? 0),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const f2 = (n: number) => n.toFixed(2);

/** e.g. BENCH_RELAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the relays under load. */
const nodeArgs = () => (process.env.BENCH_RELAY_NODE_ARGS ?? '').split(' ').filter(Boolean);
/**
 * BENCH_FANOUT_SHAPES=100 (members) runs one shape, for A/B work; BENCH_FANOUT_OBSERVE=0 leaves out the stages that
 * time publish → positioned, halving an A/B run of "on" variants.
 */
const shapes = () => process.env.BENCH_FANOUT_SHAPES?.split(',').map(Number) ?? FANOUT_SHAPES;

interface RunningCandidate {
  relay: FanoutRelay;
  channel: string;
  wsUrl: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

async function startMinimal(redisUrl: string, channel: string, relay: string): Promise<RunningCandidate> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs(),
      ...variantOf(relay).nodeArgs,
      '--import',
      'tsx',
      'bench/relay-minimal.ts',
      redisUrl,
      channel,
      String(port),
    ],
    {
      cwd: new URL('..', import.meta.url),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      if (c.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`minimal relay exited with ${code}`)));
  });
  return {
    relay,
    channel,
    wsUrl: `ws://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function startLodestar(redisUrl: string, channel: string, name: string): Promise<RunningCandidate> {
  const positioning = baseOf(name) === 'on';
  const { BENCH_ROOT: root, ...env } = variantOf(name).env;
  const variant = { ...variantOf(name), env };
  const relay = await spawnRelay(
    {
      REDIS_URL: redisUrl,
      // The bench's stations all share one operator token: no per-operator connection limit here.
      RELAY_MAX_CONNECTIONS_PER_OPERATOR: '0',
      RELAY_DRAIN_MS: '0',
      RELAY_CHANNEL: channel,
      RELAY_POSITIONING: positioning ? 'on' : 'off',
      // A variant's name may be long (a path, flags): the key prefix must stay within 64 characters.
      RELAY_KEY_PREFIX: `bench-fanout-${createHash('sha1').update(name).digest('hex').slice(0, 12)}:`,
      ...variant.env,
    },
    [],
    [...nodeArgs(), ...variant.nodeArgs],
    ...(root ? [root] : []),
  );
  return {
    relay: name,
    channel,
    wsUrl: relay.wsUrl,
    pid: relay.child.pid,
    async stop() {
      relay.child.kill('SIGTERM');
      await relay.exited;
    },
  };
}

async function runShape(
  candidate: RunningCandidate,
  publisher: Redis,
  token: string,
  members: number,
  round: number,
  stageMs: number,
  observe = false,
): Promise<FanoutRow> {
  const lists = Array.from({ length: members * FANOUT_WATCHERS }, (_, s) => [String(1 + (s % members))]);
  const pool = await openStationsInChild(candidate.wsUrl, token, lists);
  const sendTimes = new Map<number, number>();
  const observer = observe
    ? await observePositioned(publisher, `${candidate.channel}:positioned`, sendTimes)
    : undefined;
  await publishAt(publisher, candidate.channel, FANOUT_RATE, WARMUP_MS, members, 1, sendTimes);
  await sleep(200);
  await pool.reset();
  observer?.reset();
  const cpu0 = cpuMsOf(candidate.pid);
  const redis0 = await redisStats(publisher);
  const t0 = Date.now();
  const published = await publishAt(
    publisher,
    candidate.channel,
    FANOUT_RATE,
    stageMs,
    members,
    1,
    sendTimes,
  );
  const elapsed = Date.now() - t0;
  const relayCore = (cpuMsOf(candidate.pid) - cpu0) / elapsed;
  const redis1 = await redisStats(publisher);
  const redisCore = (redis1.cpuMs - redis0.cpuMs) / elapsed;
  const scriptCalls = redis1.evalshaCalls - redis0.evalshaCalls;
  await sleep(TAIL_MS);
  const received = await pool.received();
  const latency = await pool.latency(sendTimes);
  await pool.close();
  const positioned = (await observer?.p99()) ?? { ms: NaN, us: NaN };
  const us = (n: number | undefined) => (n ?? NaN) / 1000;
  const row: FanoutRow = {
    relay: candidate.relay,
    members,
    round,
    published,
    deliveredShare: received / (published * FANOUT_WATCHERS),
    p50: latency.p50,
    p90: latency.p90,
    p99: latency.p99,
    p999: latency.p999,
    max: latency.max,
    us: {
      p50: us(latency.us?.p50),
      p90: us(latency.us?.p90),
      p99: us(latency.us?.p99),
      p999: us(latency.us?.p999),
    },
    relayCore,
    redisCore,
    fixesPerScriptCall: scriptCalls > 0 ? published / scriptCalls : NaN,
    positionedP99: positioned.ms,
    positionedP99Us: positioned.us,
  };
  process.stderr.write(
    `bench: fan-out ${members} members × ${FANOUT_WATCHERS}, ${candidate.relay}${observe ? ' (observed)' : ''}, round ${round}: ` +
      `delivered ${(row.deliveredShare * 100).toFixed(1)} %, p50 ${row.p50} ms, p90 ${row.p90} ms, ` +
      `p99 ${row.p99} ms, p99.9 ${row.p999} ms, max ${row.max} ms, relay ${Math.round(relayCore * 100)} % of a core, ` +
      `Redis ${Math.round(redisCore * 100)} %, ${row.fixesPerScriptCall.toFixed(1)} fixes/script call, ` +
      `publish → positioned p99 ${positioned.ms} ms; µs clock: p50 ${f2(row.us.p50)}, p90 ${f2(row.us.p90)}, ` +
      `p99 ${f2(row.us.p99)}, p99.9 ${f2(row.us.p999)} ms, publish → positioned p99 ${f2(positioned.us)} ms\n`,
  );
  return row;
}

/** Every shape × relay, `rounds` times, interleaved. */
export async function fanoutShapes(
  redisUrl: string,
  publisher: Redis,
  token: string,
  rounds: number,
  stageMs: number,
  relays: readonly FanoutRelay[] = FANOUT_RELAYS,
): Promise<FanoutRow[]> {
  const candidates: RunningCandidate[] = [];
  const rows: FanoutRow[] = [];
  try {
    // Inside the try: a relay that fails to start must not leave the ones started before it running.
    for (const relay of relays) {
      const channel = `bench-fanout-${relay}:location_update`;
      candidates.push(
        baseOf(relay) === 'minimal'
          ? await startMinimal(redisUrl, channel, relay)
          : await startLodestar(redisUrl, channel, relay),
      );
    }
    for (let round = 1; round <= rounds; round++)
      for (const members of shapes())
        for (const candidate of candidates) {
          const row = await runShape(candidate, publisher, token, members, round, stageMs);
          // The observer is one more subscriber for Redis to write to and one more process to wake for every batch,
          // on the same 2 cores, that the minimal relay's stages do not have: it lengthened the very tail being
          // compared (p99 medians 9 → 7-8 ms without it, 2026-12-01T16:01Z). So the positioned hop is timed in a
          // stage of its own, and only that figure is kept from it.
          if (baseOf(candidate.relay) === 'on' && process.env.BENCH_FANOUT_OBSERVE !== '0') {
            const observed = await runShape(candidate, publisher, token, members, round, stageMs, true);
            row.positionedP99 = observed.positionedP99;
            row.positionedP99Us = observed.positionedP99Us;
          }
          rows.push(row);
        }
  } finally {
    for (const c of candidates) await c.stop();
  }
  return rows;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
};

export interface FanoutSummary {
  relay: FanoutRelay;
  members: number;
  deliveredShare: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  relayCore: number;
  /** Each round's p99, for the spread. */
  p99s: number[];
  positionedP99: number;
  /** Medians of the µs-clock figures (ms). */
  us: { p50: number; p90: number; p99: number; p999: number; p99s: number[]; positionedP99: number };
}

export function summarizeFanout(rows: FanoutRow[]): FanoutSummary[] {
  const out: FanoutSummary[] = [];
  const relays = [...new Set(rows.map((r) => r.relay))];
  for (const members of FANOUT_SHAPES)
    for (const relay of relays) {
      const mine = rows.filter((r) => r.relay === relay && r.members === members);
      if (mine.length === 0) continue;
      out.push({
        relay,
        members,
        deliveredShare: Math.min(...mine.map((r) => r.deliveredShare)),
        p50: median(mine.map((r) => r.p50)),
        p90: median(mine.map((r) => r.p90)),
        p99: median(mine.map((r) => r.p99)),
        p999: median(mine.map((r) => r.p999)),
        relayCore: median(mine.map((r) => r.relayCore)),
        p99s: mine.map((r) => r.p99),
        positionedP99: median(mine.map((r) => r.positionedP99)),
        us: {
          p50: median(mine.map((r) => r.us.p50)),
          p90: median(mine.map((r) => r.us.p90)),
          p99: median(mine.map((r) => r.us.p99)),
          p999: median(mine.map((r) => r.us.p999)),
          p99s: mine.map((r) => r.us.p99),
          positionedP99: median(mine.map((r) => r.positionedP99Us)),
        },
      });
    }
  return out;
}
