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

/**
 * Where the time goes, from one profiled run (not regenerated: profiles are read by hand). Kept with the section so
 * the table and its explanation stay together.
 */
const PROFILE_NOTE = `Where the time goes. The relay's own CPU for this load is about the same in all three (one write
per station per round dominates, and the minimal relay pays it too: a profile of the 100 × 3 shape,
\`BENCH_ONLY=fanout BENCH_FANOUT_SHAPES=100 BENCH_FANOUT_ROUNDS=1 BENCH_RELAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"\`,
gave socket writes 45-63 % of self time in each, garbage collection 7-10 %, and positioning's share in the relay
(SHA-1 idempotency key, batch packing, re-check and re-parse of the positioned batch) 8.9 %). What positioning adds
is outside the relay's event loop: the column "p99 publish → positioned" shows that most of the "on" tail is spent
before the fan-out starts, in the hop relay → Redis → relay, where every fix of a batch (about 60 here) waits for
the whole \`position-batch.lua\` call (about 20 µs of Redis's one thread per fix: XADD, HSET, HMGET; \`npm run bench:micro\`)
and for Redis's share of the 2 cores.

Tried (2026-12-01T13:15Z, load average 6, 100 × 3, 3 rounds, \`BENCH_FANOUT_RELAYS=minimal,on,on+…\`): taking the
raw messages off the fan-out relay's event loop altogether, with a second relay process that only positions
(\`RELAY_POSITION_RAW=off\` on the relay the stations use). p99 medians: minimal 13 ms, on 24 ms, on with the separate
positioner 22 ms (publish → positioned 17 and 17 ms). The relay's event loop is not where the tail comes from, so
no thread or process split was built. Earlier A/B variants (the uncork at the end of the turn instead of the 1 ms
gather, \`--max-semi-space-size=32\`, batches of 32 instead of 256) stayed within the noise. Nor is the script's Lua the
lever: timed from Redis's own accounting (INFO commandstats, EVALSHA of 256 fixes of 100 members, 13:18Z, load 6),
\`position-batch.lua\` ran 9.9 µs per fix, of which parsing and checking the packed argument took 2.5 µs, the
idempotency claims 0.8 µs, and \`positionOne\` 6.6 µs, mostly the HMGET, XADD and HSET it calls (measured alone by
\`npx tsx relay/positioning/measure.ts\`: XADD 2.1, HMGET 1.4, HSET 0.7 µs). At 10,000 fixes/s that is a tenth of
Redis's thread; the tail comes from sharing 2 cores between Redis, the relay, 300 stations and the publisher,
and is to be measured again on a machine with a core for Redis.`;

export function fanoutSection(rows: FanoutRow[], rounds: number, stageMs: number): string {
  const summary = summarizeFanout(rows);
  const minimalP99 = (members: number) =>
    summary.find((s) => s.relay === 'minimal' && s.members === members)?.p99;
  const lines = summary.map((s) => {
    const floor = minimalP99(s.members);
    // The station clock has 1 ms steps: a ratio over a p99 under 1 ms would be noise, so the floor is 1 ms.
    const ratio = floor === undefined ? NaN : s.p99 / Math.max(1, floor);
    return (
      `| ${s.members} × ${FANOUT_WATCHERS} (${s.members * FANOUT_WATCHERS} stations) | ${NAMES[s.relay] ?? s.relay} | ` +
      `${(s.deliveredShare * 100).toFixed(1)} % | ${ms(s.p50)} | ${ms(s.p90)} | **${ms(s.p99)}** (${s.p99s.join(', ')}) | ` +
      `${ms(s.p999)} | ${ms(s.positionedP99)} | ${Math.round(s.relayCore * 100)} % | ${s.relay === 'minimal' ? '1' : `${ratio.toFixed(1)}×`} |`
    );
  });
  const verdicts = [...new Set(summary.map((s) => s.members))].map((members) => {
    const on = summary.find((s) => s.relay === 'on' && s.members === members);
    const minimal = summary.find((s) => s.relay === 'minimal' && s.members === members);
    const shape = `${members} × ${FANOUT_WATCHERS}: Lodestar p99 (positioning on) / minimal relay's`;
    if (!on || !minimal) return `| ${shape} | not measured | |`;
    const ratio = on.p99 / Math.max(1, minimal.p99);
    // A p99 only means something over every fix: a relay that fell behind has no tail to compare, only a backlog.
    if (minimal.deliveredShare < EVERYTHING)
      return `| ${shape} | ${ratio.toFixed(1)}× | not comparable: the minimal relay itself fell behind (${pct(minimal.deliveredShare)} delivered) |`;
    if (on.deliveredShare < EVERYTHING)
      return `| ${shape} | ${ratio.toFixed(1)}× | ✗ missed: Lodestar fell behind (${pct(on.deliveredShare)} delivered) |`;
    return `| ${shape} | **${ratio.toFixed(1)}×** | ${ratio <= 2 ? '✓' : '✗ missed'} |`;
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
clock), over every delivered fix. ${rounds} rounds, shapes and relays interleaved; figures are the medians of the rounds
(each round's p99 in brackets); delivered is the lowest round's. "p99 publish → positioned" is seen by an independent
subscriber on Redis's positioned channel: the part of the latency spent before the fan-out (the relay reading the raw
message, its batch, \`position-batch.lua\` in Redis and the PUBLISH back), in a stage of its own right after each
"on" stage: the extra subscriber (one more socket for Redis to write, one more process to wake per batch) lengthened
the tail it sat beside. Load average (1 min) when the stage ended:
${loadavg()[0]?.toFixed(1)}.

| Shape (members × watchers) | Relay | Delivered | p50 | p90 | p99 (rounds) | p99.9 | p99 publish → positioned | Relay CPU (of one core) | p99 / minimal's |
|---|---|---|---|---|---|---|---|---|---|
${lines.join('\n')}

| Target: Lodestar's p99 within 2× of the minimal relay's, positioning on | | |
|---|---|---|
${verdicts.join('\n')}

${PROFILE_NOTE}
`;
}
