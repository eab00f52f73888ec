/** The "Relay latency tail when fixes fan out" section of docs/benchmarks.md, from relay-fanout.ts's rows. */
import { cpus, loadavg } from 'node:os';
import { FANOUT_RATE, FANOUT_WATCHERS, type FanoutRow, summarizeFanout } from './relay-fanout.js';

const NAMES: Record<string, string> = {
  minimal: 'minimal Node relay (calibration)',
  off: 'Lodestar, positioning off',
  on: 'Lodestar, positioning on (default)',
};

/** Delivered share (lowest round) from which a stage counts as keeping up: the issue's "everything delivered". */
const EVERYTHING = 0.999;
const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
const ms = (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : Math.round(n)} ms` : '—');
/** A µs-clock figure, in ms with two decimals. */
const msUs = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)} ms` : '—');

/**
 * Where the time goes, from one profiled run (not regenerated: profiles are read by hand). Kept with the section so
 * the table and its explanation stay together.
 */
const PROFILE_NOTE = `Where the time goes (2026-12-01, per-hop timestamps inside the relay, positioning on, both shapes, 15:41-15:54Z,
load average 0.3-2.7; p50 / p99): publish → the relay reads the raw message 0 / 1-6 ms (the minimal relay pays this
hop too); read → batch flushed 0.1 / 0.2-1.6 ms; flushed → its positioned fixes back 0.8-0.9 / 2.4-5.8 ms (about 50
fixes per script call, ~0.7 ms of \`position-batch.lua\`, Redis at 13 % of a core against 1 % for the other relays);
positioned → written to the stations 1.4-1.8 ms at p50 before this branch (every batch, 150 frames, counted as a busy
round and waited for a 1 ms gather timer although the next batch came ~5 ms later), 0.25-0.8 ms after. In the 10
slowest batches of a stage most of the time lay between the flush and the positioned fixes coming back. Redis's own
view (SLOWLOG over 1 ms, LATENCY LATEST, 16:10-16:29Z): 4-17 script calls per 4 s stage took 1-8.6 ms (preempted on
the shared cores; none in the minimal relay's stages), no expiry or fork events. The relay: about 3 scavenges/s of
1.4-3 ms, seldom inside the slowest batches; a CPU profile (100 × 3, 16:05Z) gave it 24 % of a core against the
minimal relay's 17 %, a sixth of its busy samples in writing the EVALSHA to Redis.

Changed: the 1 ms gather only when rounds come back to back (a flood), not after every large round
(\`relay/station/uncork-delay.ts\`); and the independent subscriber behind "p99 publish → positioned" now runs in a
stage of its own (it loaded only the "on" stages: p99 medians 9 → 8 and 9 → 7 ms without it, 16:01Z, 5 rounds).
Tried and not kept: the relay fanning its own batches out from the script's reply (the reply carrying the
positioned JSON) instead of waiting for their copy on the channel, which was sometimes read 4-5 ms after the reply;
A/B p99 8 vs 10 ms and 9 vs 8 ms, within the noise, and with a replica behind the master the positions must wait
for its acknowledgement anyway (docs/scaling.md), so the reply may not be fanned out early. The "before/after" rows
below were taken with it in.

The gather rule at the other rates (\`BENCH_ONLY=off npm run bench:relay\`, this branch then main, 16:40-16:44Z, load
4.9 → 4.2): flood delivered 223k, 231k, 239k fixes/s at 2.8-3.2 µs per fix against 221k, 204k, 234k at 2.8 µs;
at 10,000-75,000 fixes/s (10 watchers each) p99 4-17 ms against 6-30 ms, relay CPU per delivered fix within 0.3 µs either way.

Before and after, same sitting, interleaved (\`BENCH_ONLY=fanout BENCH_FANOUT_ROUNDS=7 BENCH_FANOUT_RELAYS=minimal,on,<main's
relay at c1bf48e>\`, the observer in its own stage for both), p50 / p90 / p99 medians:

| Run (load average start → end) | Shape | Minimal relay p99 | Before | After | After / minimal |
|---|---|---|---|---|---|
| 16:11-16:19Z (3.1 → 2.9) | 100 × 3 | 7 ms | 3 / 4 / 10 ms | 2 / 3 / 10 ms | 1.4× |
| 16:11-16:19Z (3.1 → 2.9) | 10 × 3 | 4 ms | 3 / 3 / 9 ms | 2 / 2 / 9 ms | 2.3× |
| 16:19-16:27Z (2.2 → 0.8) | 100 × 3 | 4 ms | 3 / 4 / 10 ms | 2 / 3 / 11 ms | 2.8× |
| 16:19-16:27Z (2.2 → 0.8) | 10 × 3 | 2 ms | 3 / 3 / 8 ms | 2 / 2 / 8 ms | 4.0× |

Tried without effect: the EVALSHA written in the turn its batch is flushed instead of auto-pipelined (flushed →
positioned p50 0.80-0.93 against 0.84-0.88 ms); \`--min-semi-space-size=16\` (p99 9 vs 10 ms and 7 vs 7 ms, 16:05Z);
earlier (13:15Z, load 6) a second relay process that only positions, \`--max-semi-space-size=32\`, batches of 32.

Reading: the target is not met on these 2 shared cores, and p50 and p90 moved, p99 did not. With positioning on,
every fix makes two more trips through the scheduler (relay → Redis → relay) with ~0.7 ms of Redis work between
them, and on 2 cores shared by Redis, the relay, 300 stations and the publisher each wakeup has a tail of a few ms.
The minimal relay's tail (one hop) shrinks on a quiet machine (2-4 ms) while publish → positioned alone stays at
p99 6-8 ms, so the ratio grows as the machine gets quieter. To be measured again on a machine with a core for Redis.`;

/**
 * The 10 × 3 shape timed in µs and hop by hop, and what was tried (2026-12-01, 18:35-19:28Z): read by hand from
 * scratch timestamps and A/B runs, not regenerated; kept with the section like PROFILE_NOTE.
 */
const TAIL_NOTE = `### 2026-12-01, 18:35-19:28Z: the 10 × 3 shape, timed in µs and hop by hop

Asked: can 10 × 3 reach ≤ 2× on these 2 cores? On these figures, not while positions come from Redis before the
fan-out: what stands in the way is at the end. No relay change was kept; the bench gained the µs clock above
(\`bench/relay-stations.ts\`, \`relay-publisher.ts\`), \`on+BENCH_ROOT=<worktree>\` to run another checkout's relay in
the same interleaved run, and \`BENCH_FANOUT_OBSERVE=0\`. The table above is main's relay
(\`BENCH_ONLY=fanout BENCH_FANOUT_ROUNDS=5 npm run bench:relay -- --docs\`, 19:22-19:27Z, load 2.2 → 0.9, other
jobs running beside it). The table it replaced, on a quieter machine (18:05Z, load 0.5, 7 rounds, ms clock):
100 × 3 8 against 4 ms (2.0×), 10 × 3 6 against 2 ms (3.0×).

Clock. The ms figures subtract two 1 ms clocks, so each may be up to 1 ms off; the µs clock times the same fixes
on one monotonic clock. At p99 they agreed within 1 ms in 187 of this session's 188 stages (13 / 12.92,
16 / 16.16, 28 / 27.17 ms at 18:35Z; the table above); in one the ms clock said 15 where the µs clock said 9.79 ms
(a wall-clock step between the two processes' \`Date.now()\` is one way to get that). 2 against 6 ms was not rounding.

Hop by hop: main's relay with scratch timestamps per publisher tick on the same monotonic clock (not committed),
\`BENCH_ONLY=fanout BENCH_FANOUT_SHAPES=10 BENCH_FANOUT_OBSERVE=0 BENCH_FANOUT_ROUNDS=4\`, 2,899 ticks of ~55 fixes,
19:18-19:21Z, load 2.3 → 2.3; in brackets the same at load 4-5 (18:52-18:55Z):

| Hop (10 × 3, positioning on) | p50 | p99 |
|---|---|---|
| publish → the relay reads the raw message (the minimal relay pays this hop too) | 0.46 ms (0.43) | 3.40 ms (8.31) |
| read → batch flushed (scan, idempotency keys, setImmediate) | 0.11 ms (0.10) | 0.58 ms (1.77) |
| flushed → script reply (EVALSHA auto-pipelined, Redis wakes, \`position-batch.lua\` ~0.55 ms, reply read) | 1.22 ms (1.11) | 4.93 ms (11.69) |
| reply → positioned message read | 0.11 ms (0.11) | 0.41 ms (4.01) |
| positioned message → handed to the fan-out | 0.12 ms (0.11) | 0.57 ms (0.77) |
| publish → handed to the fan-out | 2.03 ms (1.99) | 8.48 ms (19.38) |
| stations (µs clock), medians of the rounds: Lodestar / minimal relay | 2.63 / 1.15 ms | 10.91 / 6.51 ms |

The script alone (scratch calls of 58 fixes on a private redis-server, 350 per run, INFO commandstats, under the
bench lock, 19:17Z): 538-555 µs per call over 10 members, 603-609 µs over 100. Commands are ~200 µs of it (per call:
XADD 84, SADD 40, SMISMEMBER 40, HMGET 21, HSET 19 µs), reading and checking the packed argument ~100 µs, an empty
\`redis.call\` ~0.3 µs (174 of them: 52 µs); the rest is Lua around \`positionOne\`, ~5 µs per fix.
GC: the relay scavenges ~2 times/s in this shape, p50 1.2-2.5 ms and p90 3-5 ms of wall time on the shared cores;
of a stage's 10 slowest ticks, 0-4 overlapped a scavenge (18:40Z).

Tried and not kept, each A/B interleaved in one run:
- A member's meta hash read and written once per script call instead of per fix: script time 548, 538, 555 →
  531, 519, 509 µs over 10 members, 609, 603, 606 → 754, 753, 768 µs over 100 (19:17Z, load 3.0 → 2.3): its Lua
  tables cost more than the HMGETs and HSETs they saved. Its test stays (a batch leaves Redis as single calls do).
- The batch flushed at \`nextTick\` (one socket read) and its EVALSHA written in that turn (not auto-pipelined, so not
  after the next check phase): at load 4-5 (18:52Z, 4 rounds) stations' p99 19.4 → 11.7 ms pooled and flushed →
  reply p99 11.7 → 6.1 ms; at load 2.3 (19:18Z, 4 rounds) worse in every round (10.2-13.4 → 12.3-19.2 ms; flushed →
  reply p99 4.9 → 5.9 ms); in 5 rounds of both shapes at load 8 → 6 (19:00Z) within the spread (single rounds 15 to
  690 ms). At p99 a 4 s stage is decided by its ~8 slowest of 800 ticks, and the machine's load moved them more.
- \`--single-threaded-gc\` (no GC helper threads to wait for on busy cores): scavenge p50 1.67 → 1.31 ms, stations'
  p99 per round 23.7, 13.1, 31.4 → 24.5, 12.4, 13.5 ms (18:47Z, load 9 → 4): not consistent.
- Not tried: smaller batches at low rates (a publisher tick brings ~55 fixes at once, and each script call carries
  ~150 µs of claims and PUBLISH whatever its size); one write per station per turn is what the relay does already.

What stands in the way. Positions come from Redis before the fan-out (and, with a replica, only once it
acknowledged), so every fix crosses relay → Redis → relay after the publish → relay hop that the minimal relay
also has. That trip is a scheduler tail, not work: p50 1.2 ms, of which the script is ~0.55 ms, p99 4.9 ms at
load 2.3 and 11.7 ms at load 4-5, with Redis at 16-21 % of a core against 2-3 % for the minimal relay. Its p99
alone is 0.75× the minimal relay's whole p99 in the same rounds (6.5 ms), and publish → raw read (p99 3.4 ms) comes
before it. In the table above, publish → positioned alone has a p99 of 16.4 ms against the minimal relay's 7.1 ms
end to end (2.3×), so no change after the positioned message arrives can bring 10 × 3 to 2×; at load 0.5 (18:05Z)
they were 6 and 2 ms. Within 2× needs that trip's tail under the one-hop tail of the minimal relay, i.e. a core
Redis does not share with the relay, the stations and the publisher.`;

export function fanoutSection(rows: FanoutRow[], rounds: number, stageMs: number): string {
  const summary = summarizeFanout(rows);
  const minimalP99 = (members: number) =>
    summary.find((s) => s.relay === 'minimal' && s.members === members)?.p99;
  const minimalUsP99 = (members: number) =>
    summary.find((s) => s.relay === 'minimal' && s.members === members)?.us.p99;
  const lines = summary.map((s) => {
    const floor = minimalP99(s.members);
    // The station clock has 1 ms steps: a ratio over a p99 under 1 ms would be noise, so the floor is 1 ms.
    const ratio = floor === undefined ? NaN : s.p99 / Math.max(1, floor);
    const floorUs = minimalUsP99(s.members);
    const ratioUs = floorUs === undefined ? NaN : s.us.p99 / floorUs;
    return (
      `| ${s.members} × ${FANOUT_WATCHERS} (${s.members * FANOUT_WATCHERS} stations) | ${NAMES[s.relay] ?? s.relay} | ` +
      `${(s.deliveredShare * 100).toFixed(1)} % | ${ms(s.p50)} | ${ms(s.p90)} | **${ms(s.p99)}** (${s.p99s.join(', ')}) | ` +
      `${ms(s.p999)} | ${ms(s.positionedP99)} | ${Math.round(s.relayCore * 100)} % | ${s.relay === 'minimal' ? '1' : `${ratio.toFixed(1)}×`} | ` +
      `${msUs(s.us.p50)} / ${msUs(s.us.p99)} (${s.us.p99s.map((v) => v.toFixed(1)).join(', ')}) | ${msUs(s.us.positionedP99)} | ` +
      `${s.relay === 'minimal' ? '1' : `${ratioUs.toFixed(1)}×`} |`
    );
  });
  const verdicts = [...new Set(summary.map((s) => s.members))].map((members) => {
    const on = summary.find((s) => s.relay === 'on' && s.members === members);
    const minimal = summary.find((s) => s.relay === 'minimal' && s.members === members);
    const shape = `${members} × ${FANOUT_WATCHERS}: Lodestar p99 (positioning on) / minimal relay's`;
    if (!on || !minimal) return `| ${shape} | not measured | |`;
    const ratio = on.p99 / Math.max(1, minimal.p99);
    const usClock = `µs clock: ${(on.us.p99 / minimal.us.p99).toFixed(1)}×`;
    // A p99 only means something over every fix: a relay that fell behind has no tail to compare, only a backlog.
    if (minimal.deliveredShare < EVERYTHING)
      return `| ${shape} | ${ratio.toFixed(1)}× | not comparable: the minimal relay itself fell behind (${pct(minimal.deliveredShare)} delivered) |`;
    if (on.deliveredShare < EVERYTHING)
      return `| ${shape} | ${ratio.toFixed(1)}× | ✗ missed: Lodestar fell behind (${pct(on.deliveredShare)} delivered) |`;
    return `| ${shape} | **${ratio.toFixed(1)}×** (${usClock}) | ${ratio <= 2 ? '✓' : '✗ missed'} |`;
  });
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `## Relay latency tail when fixes fan out

Command: \`npm run bench:relay -- --docs\` (the \`fanout\` stage; alone: \`BENCH_ONLY=fanout npm run bench:relay\`), run ${new Date().toISOString().slice(0, 16)}Z.
Machine: ${cpus().length} cores (\`nproc\`), ${cpu}, Node ${process.version}; shared with other jobs, and Redis, the relay, the
publisher and the stations all run on these ${cpus().length} cores: compare the ratios within the run, not the milliseconds.

Shapes: every member watched by ${FANOUT_WATCHERS} stations (one member per station), ${FANOUT_RATE.toLocaleString('en-US')} PHP-shaped raw fixes/s spread over the
members, so the 100-member shape is ${(FANOUT_RATE * FANOUT_WATCHERS).toLocaleString('en-US')} deliveries/s to 300 stations. Three relays take the same load in
turn, each on its own channel of one private \`redis-server\`: a minimal Node relay (\`bench/relay-minimal.ts\`: one
ioredis subscriber, \`JSON.parse\` for the uid, per-connection arrays flushed once per event-loop turn, no auth, no
validation, no backpressure) as the floor, then Lodestar's relay (\`relay/main.ts\`, default limits) with positioning
off and on. Each stage: 1 s of warm-up, ${stageMs / 1000} s measured, 1 s for the tail; latency is publish → station receive (ms
clock: the fix's \`ts\` against the station's \`Date.now()\`, each with 1 ms steps, so a figure may be up to 1 ms off
either way), over every delivered fix; the "µs clock" columns time the same fixes on the host's monotonic clock
(\`process.hrtime\`, one clock for every process of the machine: the publisher notes each tick's send time, the
stations the time of each socket read), in ms. ${rounds} rounds, shapes and relays interleaved; figures are the medians of the rounds
(each round's p99 in brackets); delivered is the lowest round's. "p99 publish → positioned" is seen by an independent
subscriber on Redis's positioned channel: the part of the latency spent before the fan-out (the relay reading the raw
message, its batch, \`position-batch.lua\` in Redis and the PUBLISH back), in a stage of its own right after each
"on" stage: the extra subscriber (one more socket for Redis to write, one more process to wake per batch) lengthened
the tail it sat beside. Load average (1 min) when the stage ended:
${loadavg()[0]?.toFixed(1)}.

| Shape (members × watchers) | Relay | Delivered | p50 | p90 | p99 (rounds) | p99.9 | p99 publish → positioned | Relay CPU (of one core) | p99 / minimal's | µs clock: p50 / p99 (rounds) | µs clock: p99 publish → positioned | µs clock: p99 / minimal's |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
${lines.join('\n')}

| Target: Lodestar's p99 within 2× of the minimal relay's, positioning on | | |
|---|---|---|
${verdicts.join('\n')}

${PROFILE_NOTE}

${TAIL_NOTE}
`;
}
