/** The "Beside the customer's Python relay" section of docs/benchmarks.md (relay-seed.ts, relay-idle.ts). */
import { cpus } from 'node:os';
import type { IdleResult } from './relay-idle.js';
import { SEED_DRAIN_MS, SEED_MEMBERS, SEED_WATCHERS, type SeedRun } from './relay-seed.js';

const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const ms = (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : fmt(n)} ms` : '—');

function reading(run: SeedRun): string {
  const seed = run.rows.filter((r) => r.relay === 'seed');
  const lodestar = run.rows.filter((r) => r.relay === 'lodestar');
  if (seed.length === 0 || lodestar.length === 0) return 'nothing to compare in this run.';
  const seedFixes = Math.max(...seed.map((r) => r.framesPerWallSecond)) / SEED_WATCHERS;
  const lossy = lodestar.filter((r) => r.loss > 0.001);
  return (
    `the seed relay reads one message per 100 ms poll (an \`asyncio.sleep(0.1)\` after every message), so it delivered at ` +
    `most ${seedFixes.toFixed(1)} fixes/s (to ${SEED_WATCHERS} watchers each, counting the drain) whatever the rate; the rest arrives ` +
    `seconds late and is lost when the process ends. Lodestar ${
      lossy.length === 0
        ? 'delivered every fix at every rate here'
        : `delivered every fix up to ${fmt(Math.max(0, ...lodestar.filter((r) => r.loss <= 0.001).map((r) => r.rate)))} fixes/s and lost ${lossy
            .map((r) => `${(r.loss * 100).toFixed(1)} % at ${fmt(r.rate)}/s`)
            .join(', ')} within the drain (positioning on the shared Redis, on these shared cores)`
    }.`
  );
}

export function seedSection(run: SeedRun, idle: IdleResult | undefined, stageMs: number): string {
  const rows = run.rows.map(
    (r) =>
      `| ${fmt(r.rate)} | ${r.relay === 'seed' ? 'seed (Python)' : '**Lodestar**'} | ${fmt((r.published / stageMs) * 1000)} | ` +
      `${fmt(r.deliveredPerSecond)} | ${(r.loss * 100).toFixed(1)} % | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ` +
      `${Math.round(r.core * 100)} % | ${r.rssMb.toFixed(0)} MB (peak ${r.peakMb.toFixed(0)}) |`,
  );
  const comparison = run.skipped
    ? `Not run: ${run.skipped}.`
    : `| Published (fixes/s) | Relay | Published/s | Delivered/s (frames) | Loss | p50 | p99 | max | CPU (of one core) | Memory (RSS) |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}`;
  const idleText = idle
    ? `| Lodestar relay, ${fmt(idle.connections)} idle stations (each authenticated, watching one member) | |
|---|---|
| Resident memory before / after | ${idle.rssBeforeMb.toFixed(0)} MB / ${idle.rssAfterMb.toFixed(0)} MB |
| **Memory per idle station connection** (target ≤ 30 KB) | **${idle.kbPerConnection.toFixed(1)} KB** ${idle.kbPerConnection <= 30 ? '✓' : '✗ missed'} |`
    : 'Idle connections: not measured in this run.';
  return `## Beside the customer's Python relay

Command: \`npm run bench:relay -- --docs\` (the \`seed\` and \`idle\` stages; alone: \`BENCH_ONLY=seed,idle npm run bench:relay\`), run ${new Date().toISOString().slice(0, 16)}Z.
Machine: ${cpus().length} cores (\`nproc\`), ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, Debian's \`/usr/bin/python3\` with python3-websockets and
python3-redis; shared with other jobs: compare the two relays within a row, not across runs.

Setup: the seed relay is \`shared/seed/seed_relay.py\` as the customer runs it (beside the checkout, never copied in;
it binds 0.0.0.0:30582 and Redis 127.0.0.1:6379, both hard-coded, so this stage uses the shared Redis). One publisher
sends PHP-shaped raw fixes on \`location_update\` and both relays take every fix at the same time: the seed relay
(started afresh for each rate so one stage's backlog does not spill into the next; its log goes to /dev/null) and
Lodestar's relay with its defaults (positioning on) under a unique key prefix, unlinked afterwards (the shared Redis
is never flushed). ${SEED_MEMBERS} members, each watched by ${SEED_WATCHERS} stations on each relay (the seed takes one member per connection).
Each rate publishes for ${stageMs / 1000} s; frames that arrive within ${SEED_DRAIN_MS / 1000} s after it count as delivered, the rest as lost. Latency is
publish → station receive (ms clock) over the delivered frames only, so a relay that delivers a few fixes late still
shows them. CPU is each relay process's share of one core over the stage and its drain; memory is its resident set
at the end of the stage.${run.otherSubscribers > 0 ? ` Other subscribers of \`location_update\` or its positioned channel were present during this run (${run.otherSubscribers}): their relays took the same fixes.` : ''}

${comparison}

Reading: ${reading(run)}

${idleText}
`;
}
