/** The "Relay latency tail when fixes fan out" section of docs/benchmarks.md, from relay-fanout.ts's rows. */
import { cpus } from 'node:os';
import { FANOUT_RATE, FANOUT_WATCHERS, type FanoutRow, summarizeFanout } from './relay-fanout.js';

const NAMES: Record<string, string> = {
  minimal: 'minimal Node relay (calibration)',
  off: 'Lodestar, positioning off',
  on: 'Lodestar, positioning on (default)',
};

const ms = (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : Math.round(n)} ms` : '—');

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
      `${ms(s.p999)} | ${Math.round(s.relayCore * 100)} % | ${s.relay === 'minimal' ? '1' : `${ratio.toFixed(1)}×`} |`
    );
  });
  const verdicts = [...new Set(summary.map((s) => s.members))].map((members) => {
    const on = summary.find((s) => s.relay === 'on' && s.members === members);
    const floor = minimalP99(members);
    if (!on || floor === undefined) return `| ${members} × ${FANOUT_WATCHERS} | not measured | |`;
    const ratio = on.p99 / Math.max(1, floor);
    return `| ${members} × ${FANOUT_WATCHERS}: Lodestar p99 (positioning on) / minimal relay's | **${ratio.toFixed(1)}×** | ${ratio <= 2 ? '✓' : '✗ missed'} |`;
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
(each round's p99 in brackets); delivered is the lowest round's.

| Shape (members × watchers) | Relay | Delivered | p50 | p90 | p99 (rounds) | p99.9 | Relay CPU (of one core) | p99 / minimal's |
|---|---|---|---|---|---|---|---|---|
${lines.join('\n')}

| Target: Lodestar's p99 within 2× of the minimal relay's, positioning on | | |
|---|---|---|
${verdicts.join('\n')}
`;
}
