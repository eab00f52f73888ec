/**
 * `npm run bench:relay`: publish raw fixes at rising rates through a relay (child process) to 100 stations and report
 * delivered fixes/s and publish→station latency p50/p99, next to the same run's ceiling of a bare ioredis
 * subscriber. `--docs` rewrites the "Relay" section of docs/benchmarks.md with the results.
 *
 * Each fix goes to exactly one station (1,000 members, each station watches 10), so delivered/s is directly
 * comparable with what a bare subscriber receives.
 *
 * `--cluster` runs instead the positioning stages on a private Redis Cluster (relay-cluster.ts).
 *
 * Then, in sections of their own: the fan-out shapes beside a minimal relay (relay-fanout.ts), the customer's
 * Python relay beside Lodestar's on the shared Redis (relay-seed.ts) and the memory of 10,000 idle stations
 * (relay-idle.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startPrivateRedis } from '../test/support/redis-server.js';
import { operatorToken, spawnRelay } from '../test/support/relay.js';
import { type CatchupResult, fillMissed, measureCatchup } from './relay-catchup.js';
import { clusterBench, clusterTable } from './relay-cluster.js';
import { publishAt } from './relay-publisher.js';
import { writeSection } from './docs-section.js';
import { cpuMsOf } from './proc-stats.js';
import { fanoutSection } from './relay-fanout-report.js';
import { FANOUT_RELAYS, type FanoutRelay, fanoutShapes } from './relay-fanout.js';
import { idleMemory } from './relay-idle.js';
import { seedSection } from './relay-seed-report.js';
import { type SeedRun, seedComparison } from './relay-seed.js';
import { type RemoteStationPool, openStationsInChild } from './relay-stations.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHANNEL = 'location_update';
const STATIONS = 100;
const MEMBERS = 1000;
const STAGE_MS = Number(process.env.BENCH_STAGE_MS ?? 4000);
/**
 * The flood (as fast as Redis takes) runs three times: the machine is shared, so its best is compared with the best
 * of three ceilings (before, between and after the relay stages).
 */
const RATES = [1000, 10_000, 25_000, 50_000, 75_000, Infinity, Infinity, Infinity];
/**
 * With positioning on, Redis's single thread runs position.lua for every fix and saturates below the plain
 * fan-out; past that point a stage's backlog spills into the next, so the rates stop at the first overloaded stage.
 */
const POSITIONING_RATES = [1000, 5000, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 75_000, 100_000];
/**
 * Published rates of the shared-watch stages (each fix to 10 stations), run with positioning off and on; they stop
 * at the first overloaded stage.
 */
const FANOUT_RATES = [5000, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 75_000];
const writeDocs = process.argv.includes('--docs');
/**
 * BENCH_ONLY=off|on|catchup|fanout|seed|idle runs just those stages (comma-separated) for A/B work. With --docs,
 * the "Relay" section is rewritten only when off, on and catchup all ran; the fan-out and seed sections whenever
 * their stages ran.
 */
const only = new Set((process.env.BENCH_ONLY ?? 'off,on,catchup,fanout,seed,idle').split(','));
/** The stages the "Relay" section's report needs; the fan-out shapes write a section of their own. */
const REPORT_STAGES = ['off', 'on', 'catchup'];
const FANOUT_ROUNDS = Number(process.env.BENCH_FANOUT_ROUNDS ?? 3);
const CATCHUP_MEMBERS = 100;
const CATCHUP_MINUTES = 10;
/** Fixes coalesced for slow stations, over all relays of the run. */
let coalesced = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(n < 10 ? 1 : 0)} ms` : '—');

/** CPU time Redis (main thread and children) has used, ms, from INFO cpu. */
async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return (field('used_cpu_sys') + field('used_cpu_user')) * 1000;
}

interface Ceiling {
  rate: number;
  /** CPU µs the bare subscriber spent per message received. */
  cpuUsPerMessage: number;
}

async function bareCeiling(redisUrl: string, publisher: Redis): Promise<Ceiling> {
  // The ceiling is only compared with the plain fan-out stages.
  if (!only.has('off') && !only.has('on')) return { rate: NaN, cpuUsPerMessage: NaN };
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/relay-bare-subscriber.ts', redisUrl, CHANNEL],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let last = 0;
  let ready = false;
  child.stdout?.on('data', (c: Buffer) => {
    for (const line of c.toString().split('\n')) {
      if (line === 'ready') ready = true;
      else if (line) last = Number(line);
    }
  });
  while (!ready) await sleep(20);
  const flood = publishAt(publisher, CHANNEL, Infinity, STAGE_MS, MEMBERS);
  await sleep(1000); // warm-up
  const startCount = last;
  const cpu0 = cpuMsOf(child.pid);
  const t0 = Date.now();
  await sleep(STAGE_MS - 1500);
  const received = last - startCount;
  const rate = (received / (Date.now() - t0)) * 1000;
  const cpuUsPerMessage = ((cpuMsOf(child.pid) - cpu0) * 1000) / received;
  await flood;
  child.kill();
  return { rate, cpuUsPerMessage };
}

interface Stage {
  positioning: boolean;
  target: number;
  /** Stations watching each fix's member. */
  watchers: number;
  /** Relay CPU µs per delivered fix during the stage. */
  cpuUsPerFix: number;
  /** Share of one core Redis (single-threaded) used during the stage. */
  redisCore: number;
  published: number;
  delivered: number;
  p50: number;
  p99: number;
}

async function runStage(
  positioning: boolean,
  relayPid: number | undefined,
  publisher: Redis,
  pool: RemoteStationPool,
  target: number,
  watchers: number,
): Promise<Stage> {
  await pool.reset();
  const start = Date.now();
  const cpu0 = cpuMsOf(relayPid);
  const redis0 = await redisCpuMs(publisher);
  const published = await publishAt(publisher, CHANNEL, target, STAGE_MS, MEMBERS);
  const deliveredInWindow = await pool.received();
  const cpuUsPerFix = ((cpuMsOf(relayPid) - cpu0) * 1000) / deliveredInWindow;
  const elapsed = Date.now() - start;
  const redisCore = ((await redisCpuMs(publisher)) - redis0) / elapsed;
  await sleep(500); // let the tail arrive so its latency is counted
  const { p50, p99 } = await pool.latency();
  const stage = {
    positioning,
    target,
    watchers,
    cpuUsPerFix,
    redisCore,
    published: (published / elapsed) * 1000,
    delivered: (deliveredInWindow / elapsed) * 1000,
    p50,
    p99,
  };
  process.stderr.write(
    `bench: positioning ${positioning ? 'on' : 'off'}, ${watchers} watcher(s)/fix, target ${Number.isFinite(target) ? fmt(target) : 'max'}/s: ` +
      `published ${fmt(stage.published)}/s, delivered ${fmt(stage.delivered)}/s, p50 ${ms(stage.p50)}, ` +
      `p99 ${ms(stage.p99)}, relay CPU ${stage.cpuUsPerFix.toFixed(1)} µs/delivered fix, ` +
      `Redis ${Math.round(stage.redisCore * 100)} % of a core\n`,
  );
  return stage;
}

/**
 * One relay process, positioning on or off: the one-station stages at every rate and, if `shared`, the
 * shared-watch stages. Positioning writes every fix to Redis: its keys are deleted after the stages.
 */
async function relayStages(
  redisUrl: string,
  publisher: Redis,
  token: string,
  positioning: boolean,
  shared: boolean,
): Promise<Stage[]> {
  const relay = await spawnRelay(
    {
      REDIS_URL: redisUrl,
      // The bench's stations all share one operator token: no per-operator connection limit here.
      RELAY_MAX_CONNECTIONS_PER_OPERATOR: '0',
      RELAY_DRAIN_MS: '0',
      RELAY_POSITIONING: positioning ? 'on' : 'off',
      RELAY_KEY_PREFIX: `bench-${positioning ? 'on' : 'off'}:`,
    },
    [],
    // e.g. BENCH_RELAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the relay under load
    (process.env.BENCH_RELAY_NODE_ARGS ?? '').split(' ').filter(Boolean),
  );
  const lists = Array.from({ length: STATIONS }, (_, s) =>
    Array.from({ length: MEMBERS / STATIONS }, (_, i) => String(1 + s * (MEMBERS / STATIONS) + i)),
  );
  const stages: Stage[] = [];
  const pool = await openStationsInChild(relay.wsUrl, token, lists);
  for (const target of positioning ? POSITIONING_RATES : RATES) {
    const stage = await runStage(positioning, relay.child.pid, publisher, pool, target, 1);
    stages.push(stage);
    if (positioning && stage.delivered < 0.9 * stage.published) break;
  }
  await pool.close();
  if (shared) {
    // Every member watched by 10 stations: the same fix framed once and written to 10 sockets.
    const sharedLists = Array.from({ length: STATIONS }, (_, s) =>
      Array.from({ length: 10 }, (_, k) => lists[(s + k * 10) % STATIONS] ?? []).flat(),
    );
    const sharedPool = await openStationsInChild(relay.wsUrl, token, sharedLists);
    for (const target of FANOUT_RATES) {
      const stage = await runStage(positioning, relay.child.pid, publisher, sharedPool, target, 10);
      stages.push(stage);
      if (stage.delivered < 0.9 * 10 * stage.published) break;
    }
    await sharedPool.close();
  }
  const metrics = await (await fetch(`${relay.httpUrl}/metrics`)).text();
  coalesced += Number(/^lodestar_relay_fixes_coalesced_total (\d+)/m.exec(metrics)?.[1] ?? 0);
  relay.child.kill('SIGTERM');
  await relay.exited;
  await publisher.flushall(); // the private bench Redis: drop the positioned streams before the next measurement
  return stages;
}

/** Catch-up of 10 minutes of 100 members at 1 Hz through a positioning relay, best of three. */
async function catchupStage(redisUrl: string, publisher: Redis, token: string): Promise<CatchupResult[]> {
  const relay = await spawnRelay({
    REDIS_URL: redisUrl,
    // The bench's stations all share one operator token: no per-operator connection limit here.
    RELAY_MAX_CONNECTIONS_PER_OPERATOR: '0',
    RELAY_DRAIN_MS: '0',
    RELAY_KEY_PREFIX: 'bench-catchup:',
  });
  process.stderr.write(`bench: positioning ${CATCHUP_MEMBERS * CATCHUP_MINUTES * 60} missed fixes...\n`);
  const epochs = await fillMissed(publisher, 'bench-catchup:', CATCHUP_MEMBERS, CATCHUP_MINUTES);
  const runs: CatchupResult[] = [];
  for (let i = 0; i < 3; i++) {
    const run = await measureCatchup(relay.wsUrl, token, epochs);
    process.stderr.write(
      `bench: catch-up of ${fmt(run.fixes)} fixes: first after ${ms(run.firstMs)}, all in ${ms(run.ms)}\n`,
    );
    runs.push(run);
  }
  relay.child.kill('SIGTERM');
  await relay.exited;
  return runs;
}

async function main(): Promise<void> {
  if (process.argv.includes('--cluster')) {
    const stages = await clusterBench();
    process.stdout.write(`\n${clusterTable(stages)}\n`);
    return;
  }
  const redis = await startPrivateRedis();
  const publisher = new Redis(redis.url);
  try {
    process.stderr.write('bench: measuring the bare ioredis subscriber ceiling...\n');
    const ceilingBefore = await bareCeiling(redis.url, publisher);
    process.stderr.write(
      `bench: ceiling ${fmt(ceilingBefore.rate)} msgs/s, ${ceilingBefore.cpuUsPerMessage.toFixed(1)} µs CPU/msg\n`,
    );

    const token = await operatorToken('*', 3600, 'bench');
    const stages: Stage[] = [];
    if (only.has('off')) stages.push(...(await relayStages(redis.url, publisher, token, false, true)));
    const ceilingBetween = await bareCeiling(redis.url, publisher);
    process.stderr.write(
      `bench: ceiling again ${fmt(ceilingBetween.rate)} msgs/s, ${ceilingBetween.cpuUsPerMessage.toFixed(1)} µs CPU/msg\n`,
    );
    if (only.has('on')) {
      process.stderr.write(
        'bench: positioning on (each raw fix positioned by position.lua, then fanned out)...\n',
      );
      stages.push(...(await relayStages(redis.url, publisher, token, true, true)));
    }
    const catchup = only.has('catchup') ? await catchupStage(redis.url, publisher, token) : [];
    if (only.has('fanout')) {
      process.stderr.write('bench: fan-out shapes (each member watched by 3 stations, 10,000 fixes/s)...\n');
      const relays = (process.env.BENCH_FANOUT_RELAYS?.split(',') ?? FANOUT_RELAYS) as FanoutRelay[];
      const rows = await fanoutShapes(redis.url, publisher, token, FANOUT_ROUNDS, STAGE_MS, relays);
      const text = fanoutSection(rows, FANOUT_ROUNDS, STAGE_MS);
      process.stdout.write(`\n${text}`);
      if (writeDocs) writeSection('## Relay latency tail when fixes fan out', text);
    }
    if (only.has('seed') || only.has('idle')) {
      const seed: SeedRun = only.has('seed')
        ? (process.stderr.write("bench: beside the seed's Python relay (shared Redis, location_update)...\n"),
          await seedComparison(token, STAGE_MS))
        : { rows: [], otherSubscribers: 0, skipped: 'BENCH_ONLY left it out' };
      if (seed.skipped) process.stderr.write(`bench: seed relay comparison skipped: ${seed.skipped}\n`);
      const idle = only.has('idle') ? await idleMemory(redis.url, token) : undefined;
      const text = seedSection(seed, idle, STAGE_MS);
      process.stdout.write(`\n${text}`);
      if (writeDocs) writeSection("## Beside the customer's Python relay", text);
    }
    // The machine is shared: the ceiling is measured three times and the relay compared with the highest, so a quiet
    // moment for the ceiling and a busy one for the relay cannot flatter the ratio.
    const ceilingAfter = await bareCeiling(redis.url, publisher);
    process.stderr.write(
      `bench: ceiling again ${fmt(ceilingAfter.rate)} msgs/s, ${ceilingAfter.cpuUsPerMessage.toFixed(1)} µs CPU/msg\n`,
    );
    if (REPORT_STAGES.every((stage) => only.has(stage)))
      report([ceilingBefore, ceilingBetween, ceilingAfter], stages, catchup);
    else process.stderr.write('bench: partial run (BENCH_ONLY): stage lines above, no report\n');
  } finally {
    publisher.disconnect();
    await redis.stop();
  }
}

function report(measured: Ceiling[], stages: Stage[], catchup: CatchupResult[]): void {
  const ceilings = measured.map((c) => c.rate);
  const ceiling = Math.max(...ceilings);
  const bareUs = Math.min(...measured.map((c) => c.cpuUsPerMessage));
  const off = stages.filter((s) => !s.positioning);
  const on = stages.filter((s) => s.positioning);
  const floods = off.filter((s) => !Number.isFinite(s.target));
  const flood = floods.reduce<Stage | undefined>(
    (a, s) => (a && a.delivered >= s.delivered ? a : s),
    undefined,
  );
  const max = off.reduce((a, s) => Math.max(a, s.delivered), 0);
  const bestSingle = (list: Stage[]) =>
    list.filter((s) => s.watchers === 1).reduce((a, s) => Math.max(a, s.delivered), 0);
  const bestShared = (list: Stage[]) =>
    list.filter((s) => s.watchers === 10).reduce((a, s) => Math.max(a, s.delivered), 0);
  const maxSingle = bestSingle(off);
  const maxOn = bestSingle(on);
  const bestOn = on.find((s) => s.watchers === 1 && s.delivered === maxOn);
  const maxSharedOff = bestShared(off);
  const maxSharedOn = bestShared(on);
  const costShared = 1 - maxSharedOn / maxSharedOff;
  const sharedOffTop = off.filter((s) => s.watchers === 10).at(-1);
  // The off run's shared stages stop at the last rate listed: if it still kept up there, its best is a floor.
  const sharedOffCapped =
    sharedOffTop !== undefined && sharedOffTop.delivered >= 0.9 * 10 * sharedOffTop.published;
  const at10k = off.find((s) => s.target === 10_000 && s.watchers === 1);
  const at10kOn = on.find((s) => s.target === 10_000 && s.watchers === 1);
  const cost = 1 - maxOn / maxSingle;
  const best = catchup.reduce((a, c) => (c.ms < a.ms ? c : a), catchup[0] as CatchupResult);
  const ok = (b: boolean) => (b ? '✓' : '✗ missed');
  const rows = stages.map(
    (s) =>
      `| ${s.positioning ? 'on' : 'off'} | ${s.watchers} | ${Number.isFinite(s.target) ? fmt(s.target) : 'flood (as fast as Redis takes)'} | ${fmt(s.published)} | ${fmt(s.delivered)} | ${ms(s.p50)} | ${ms(s.p99)} | ${s.cpuUsPerFix.toFixed(1)} µs | ${Math.round(s.redisCore * 100)} % |`,
  );
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const text = `## Relay

Command: \`npm run bench:relay -- --docs\` (\`tsx bench/relay.bench.ts\`), run ${new Date().toISOString().slice(0, 16)}Z.
Machine: ${cpus().length} cores (\`nproc\`), ${cpu}, Node ${process.version}; shared with other jobs (Redis, the relay, the
publisher and the 100 stations all run on these ${cpus().length} cores), so compare ratios within the run.

Setup: a private \`redis-server\`; the relay as a child process (\`relay/main.ts\`, default limits), first with
\`RELAY_POSITIONING=off\` (plain fan-out), then a fresh one with positioning on (the default: each raw fix goes
through \`position.lua\`, then the positioned fix is fanned out from the positioned channel); ${STATIONS} station
websockets in a child process of their own (as the relay and the bare subscriber are, so they do not share the publisher's event loop). First each watches ${MEMBERS / STATIONS} of ${fmt(MEMBERS)} members, so each fix goes to exactly one
station (delivered/s is then comparable with a bare subscriber's messages/s); then each watches 100 members and every
member is watched by 10 stations (the fix is framed once and written to 10 sockets). The one-station stages without
positioning end with a flood; the others rise until a stage falls behind (delivered below 90 % of what was
published times the stations per fix). A publisher sending PHP-shaped raw fixes (string coordinates) with pipelining, its send time in \`ts\`.
Each stage publishes for ${STAGE_MS / 1000} s; latency is publish → station receive (ms clock).

| Positioning | Stations per fix | Target rate (fixes/s) | Published/s | Delivered/s | p50 | p99 | Relay CPU per delivered fix | Redis CPU (share of its one core) |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

| | |
|---|---|
| Bare ioredis subscriber ceiling (same Redis, same publisher, own process; before / between / after the relay stages) | ${ceilings.map(fmt).join(' / ')} msgs/s |
| **Delivered across ${STATIONS} stations, best stage, positioning off** (target ≥ 50,000/s) | **${fmt(max)}/s** ${ok(max >= 50_000)} |
| **p99 at 10,000 fixes/s**, positioning off / on (target ≤ 50 ms) | **${ms(at10k?.p99 ?? NaN)} / ${ms(at10kOn?.p99 ?? NaN)}** ${ok(Math.max(at10k?.p99 ?? Infinity, at10kOn?.p99 ?? Infinity) <= 50)} |
| **Relay best one-station stage / highest ceiling**, positioning off (target ≥ 80 %; floods: ${floods.map((f) => fmt(f.delivered)).join(', ')}/s) | **${Math.round((maxSingle / ceiling) * 100)} %** ${ok(maxSingle >= 0.8 * ceiling)} |
| **Positioning cost, each fix to 10 stations: best delivered/s across the ${STATIONS}, on vs off** (target ≤ 30 %) | **${fmt(maxSharedOn)} vs ${sharedOffCapped ? '≥ ' : ''}${fmt(maxSharedOff)}/s: −${Math.round(costShared * 100)} %**${sharedOffCapped ? ' (off still kept up at its last stage)' : ''} ${ok(costShared <= 0.3 && !sharedOffCapped)} |
| **Positioning cost, each fix to one station: best delivered/s, on vs off** (target ≤ 30 %) | **${fmt(maxOn)} vs ${fmt(maxSingle)}/s: −${Math.round(cost * 100)} %** ${ok(cost <= 0.3)} |
| **Catch-up: ${fmt(best.fixes)} missed fixes (${CATCHUP_MEMBERS} members × ${CATCHUP_MINUTES} min at 1 Hz), watch → last \`replay_done\`** (target ≤ 1 s; best of ${catchup.length}: ${catchup.map((c) => ms(c.ms)).join(', ')}) | **${ms(best.ms)}** (first replayed fix after ${ms(best.firstMs)}) ${ok(best.ms <= 1000)} |
| CPU per message: bare subscriber / relay at flood (positioning off) | ${bareUs.toFixed(1)} µs / ${flood ? flood.cpuUsPerFix.toFixed(1) : '—'} µs |
| Relay CPU per delivered fix at 10,000 fixes/s, positioning off / on | ${at10k ? at10k.cpuUsPerFix.toFixed(1) : '—'} µs / ${at10kOn ? at10kOn.cpuUsPerFix.toFixed(1) : '—'} µs |
| Fixes coalesced for slow stations during the run | ${fmt(coalesced)} |

Reading: at the best flood stage the relay used ${flood ? ((flood.cpuUsPerFix * flood.delivered) / 1e6).toFixed(2) : '—'} of a core
while Redis (single-threaded, busy with the publishes), the publisher and the ${STATIONS} stations (each in a process of its own) took the
rest of the ${cpus().length} cores, so the flood row measures the machine, not the relay alone. The bare subscriber only counts
messages (${bareUs.toFixed(1)} µs of CPU each); the relay parses and validates each raw fix (protocol's \`parseRawFix\`),
serializes it once, frames it and writes it to the watching socket (${flood ? flood.cpuUsPerFix.toFixed(1) : '—'} µs). Even with a whole
core to itself, 80 % of the ceiling (${fmt(0.8 * ceiling)} fixes/s) would leave the relay at most ${(1e6 / (0.8 * ceiling)).toFixed(1)} µs per fix.

With positioning on, the best one-station stage (${fmt(maxOn)}/s) used ${bestOn ? ((bestOn.cpuUsPerFix * bestOn.delivered) / 1e6).toFixed(2) : '—'} of a core in the relay and ${bestOn ? Math.round(bestOn.redisCore * 100) : '—'} % of Redis's one
thread; the stage above it saturated the ${cpus().length} cores (relay, Redis, publisher and stations together). Each raw fix
costs, on top of the plain fan-out: in the relay, a SHA-1 of its bytes (the idempotency key), a line of the packed
argument of one \`EVALSHA\` of \`position-batch.lua\` per event-loop turn (at most 256 fixes), and a second check
of the positioned fix when it comes back on the positioned channel (one JSON array per batch); in Redis, the
script: the batch's idempotency claims with one \`SMISMEMBER\` per claim set and one \`SADD\`, then per fix
\`HMGET\` and \`HSET\` of the member's meta hash and one \`XADD\` (a \`ZADD\` only for a fix that arrived out of
ts order; the stream head is read and the expiry moved only when due). That is about 12 µs of Redis's single
thread per fix (\`INFO commandstats\`, 256-fix batches), against well under 1 µs for the plain \`PUBLISH\`: when
every fix goes to one station, the whole plain fan-out costs the machine about as much per fix as the script
alone, so positioning cannot cost under 30 % there on these ${cpus().length} shared cores. When each fix is watched by
10 stations, Redis's work per fix is shared by 10 deliveries, but the plain fan-out's cost per delivery is smaller
still (${(() => {
    const top = off.filter((st) => st.watchers === 10).at(-1);
    return top ? top.cpuUsPerFix.toFixed(1) : '—';
  })()} µs of relay CPU at its top stage), so there too Redis's single thread sets the limit with positioning on. What would
move it: positioning spread over several Redis threads (Redis Cluster, docs/scaling.md), or fewer raw fixes to
position (PHP positioning its own fixes with \`RELAY_POSITION_RAW=off\` saves the relays' raw-channel work, not Redis's).
Before this round (one \`SET NX\` key
per fix, every fix time-indexed, 7 arguments per fix): best one-station 29,385/s, 28.3 µs of relay CPU per fix at
10,000/s.
`;
  process.stdout.write(`\n${text}`);
  if (writeDocs) writeSection('## Relay', text);
}

await main();
