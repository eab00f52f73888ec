/**
 * bench:renderer: the live map under load through the whole pipeline (Redis → relay → station → browser host →
 * Chromium), N watched members moving at 1 Hz with their trails at the cap.
 *
 *   npm run bench:renderer -- [--members 1000,5000] [--seconds 30] [--docs]
 *
 * Per member count: trails are first filled to their cap (TRAIL_CAP points TRAIL_INTERVAL_S apart, published
 * with past fix times at a bounded rate), then every member moves once a second while the page's frame times and
 * long tasks are recorded; then live → history → live tab switches are timed; then any stages of
 * bench/renderer-history.ts run. Reported: p50/p95/p99 frame time, long tasks per 10 s, tab switch times, fixes
 * stored vs published, relay drops and station reconnects. `--docs` rewrites the "Renderer" section of
 * docs/benchmarks.md.
 */
import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readFileSync, writeFileSync } from 'node:fs';
import { MEMBER_COLORS } from '../contract/member-colors.js';
import type { Fix } from '../protocol/fix.js';
import { createFleet, fleetTick, liveFleetSettings, type Fleet } from '../simulator/fleet.js';
import { parseSimulateOptions } from '../simulator/options.js';
import { createRedisPublisher, type FixPublisher } from '../simulator/publishers.js';
import { DEFAULT_LIVE_STORE_OPTIONS } from '../renderer/src/live/live-store.js';
import { startHarness, until, type Harness } from '../test/e2e/harness.js';
import { drawnCount } from '../test/e2e/live-probe.js';
import type { FrameFigures } from './renderer-context.js';
import { runHistoryStages, seedHistory } from './renderer-history.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const MEMBER_COUNTS = arg('members', '1000,5000').split(',').map(Number);
const SECONDS = Number(arg('seconds', '30'));
const WRITE_DOCS = process.argv.includes('--docs');
/** Also run bench/renderer-history.ts's stages (they seed ten members' days into the store first). */
const WITH_HISTORY = process.argv.includes('--history');
/** Share of the trail cap filled before measuring (1 = trails at their cap; less makes the run shorter). */
const TRAIL_FILL = Math.min(1, Math.max(0, Number(arg('trail-fill', '1'))));
const TRAIL_CAP = DEFAULT_LIVE_STORE_OPTIONS.trailCap;
const TRAIL_INTERVAL_S = DEFAULT_LIVE_STORE_OPTIONS.trailMinIntervalMs / 1000;
const FIRST_UID = 100_000;

/** The simulator's fleet (streets-like paths, stops, dropouts, jitter), ticked by the bench itself at 1 Hz. */
function benchFleet(members: number, redisUrl: string, startMs: number): Fleet {
  const options = parseSimulateOptions(
    ['--members', String(members), '--first-uid', String(FIRST_UID), '--redis', redisUrl],
    {},
  );
  if (!options.ok) throw new Error(options.errors.join('; '));
  return createFleet(liveFleetSettings(options.value, 7, startMs));
}

/** Send one tick of every member; `ts` replaces the planned fix time (past times while filling trails). */
async function sendTick(publisher: FixPublisher, fleet: Fleet, ts: number): Promise<number> {
  const fixes: Fix[] = fleetTick(fleet).map((fix) => ({ ...fix, ts }));
  await publisher.send(fixes);
  return fixes.length;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;

async function measureFrames(h: Harness, during: () => Promise<void>): Promise<FrameFigures> {
  const started = Date.now();
  // A string, not a function: tsx names inner functions with a helper that does not exist in the page.
  await h.page.evaluate(`(() => {
    const w = window;
    w.benchFrames = [];
    w.benchLong = [];
    w.benchStop = false;
    const loop = (t) => {
      if (w.benchStop) return;
      w.benchFrames.push(t);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    new PerformanceObserver((list) => {
      if (!w.benchStop) for (const e of list.getEntries()) w.benchLong.push(e.duration);
    }).observe({ entryTypes: ['longtask'] });
  })()`);
  await during();
  const { frames, long } = await h.page.evaluate(() => {
    const w = window as unknown as { benchFrames: number[]; benchLong: number[]; benchStop: boolean };
    w.benchStop = true;
    return { frames: w.benchFrames, long: w.benchLong };
  });
  const seconds = (Date.now() - started) / 1000;
  const deltas = frames
    .slice(1)
    .map((t, i) => t - (frames[i] as number))
    .sort((a, b) => a - b);
  return {
    frames: frames.length,
    p50: +percentile(deltas, 0.5).toFixed(1),
    p95: +percentile(deltas, 0.95).toFixed(1),
    p99: +percentile(deltas, 0.99).toFixed(1),
    max: +(deltas.at(-1) ?? Number.NaN).toFixed(1),
    longTasks: +((long.length * 10) / seconds).toFixed(1),
    longTaskMs: Math.round(long.reduce((a, b) => a + b, 0)),
    seconds: +seconds.toFixed(1),
  };
}

/** Click a tab and wait for the frame after it painted (two animation frames), in the page's own clock. */
function switchTab(h: Harness, index: number): Promise<number> {
  return h.page.evaluate(async (i) => {
    const tab = document.querySelectorAll<HTMLButtonElement>('nav [role="tab"]')[i];
    if (!tab) return Number.NaN;
    const t0 = performance.now();
    tab.click();
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - t0;
  }, index);
}

/** A relay counter summed over its labels, from the /metrics text. */
async function relayCounter(h: Harness, name: string): Promise<number> {
  const byLabel = await relayCounterByLabel(h, name);
  return Object.values(byLabel).reduce((a, b) => a + b, 0);
}

/** A relay counter per label set (`{code="4008"}` → 3), from the /metrics text. */
async function relayCounterByLabel(h: Harness, name: string): Promise<Record<string, number>> {
  const text = await h.relay.registry.metrics();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const value = Number(line.split(' ').at(-1));
    if (value > 0) out[line.slice(name.length, line.lastIndexOf(' ')) || 'all'] = value;
  }
  return out;
}

async function runOne(members: number): Promise<Record<string, unknown>> {
  const uids = Array.from({ length: members }, (_, i) => String(FIRST_UID + i));
  const h = await startHarness({
    production: true,
    viewport: { width: 1600, height: 900 },
    preWatch: uids.map((uid, i) => ({ uid, color: MEMBER_COLORS[i % MEMBER_COLORS.length] })),
  });
  const result: Record<string, unknown> = { members };
  let published = 0;
  // Why the station's connection ended, by status code (the relay's close code or the client's own verdict).
  const retryCodes: Record<string, number> = {};
  let reconnectsSeen = 0;
  const stopStatus = h.runtime.station.relay.onStatus((status) => {
    const reconnects = h.runtime.station.relay.counters.reconnects;
    if (reconnects === reconnectsSeen) return;
    reconnectsSeen = reconnects;
    const key = `${status.code ?? '?'}${status.detail ? ` ${status.detail}` : ''}`;
    retryCodes[key] = (retryCodes[key] ?? 0) + 1;
  });
  // Stalls of this process's event loop (relay, station and host share it here).
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  try {
    await h.page.locator('.status-bar[data-state="connected"]').waitFor({ timeout: 60_000 });
    const watchStart = Date.now();
    await until(() => h.relay.stats().watchedMembers >= members || undefined, 120_000).catch(() => undefined);
    result.watchedByRelay = h.relay.stats().watchedMembers;
    result.watchAllSeconds = +((Date.now() - watchStart) / 1000).toFixed(1);

    // Fill the trails: TRAIL_CAP × TRAIL_INTERVAL_S ticks of past fixes, as fast as the station stores them
    // (each round waits until the station accepted the rounds before it: a burst would only measure backpressure).
    const publisher = await createRedisPublisher(h.redis.url, 'location_update');
    const ticks = Math.round(TRAIL_CAP * TRAIL_FILL) * TRAIL_INTERVAL_S;
    const fillStart = Date.now();
    const fleet = benchFleet(members, h.redis.url, fillStart - ticks * 1000);
    for (let k = 0; k < ticks; k++) {
      // A trail keeps one point per TRAIL_INTERVAL_S: the ticks between them move the fleet but are not sent.
      if (k % TRAIL_INTERVAL_S !== TRAIL_INTERVAL_S - 1) {
        fleetTick(fleet);
        continue;
      }
      published += await sendTick(publisher, fleet, fillStart - (ticks - k) * 1000);
      await until(
        () => h.runtime.station.counters.fixesAccepted >= published - 2 * members || undefined,
        60_000,
      );
    }
    result.trailPointsFilled = ticks / TRAIL_INTERVAL_S;
    result.trailFillSeconds = +((Date.now() - fillStart) / 1000).toFixed(1);
    await h.page.click('button.fit-all');
    await until(async () => (await drawnCount(h.page)) >= members || undefined, 60_000).catch(
      () => undefined,
    );
    result.drawnAfterFill = await drawnCount(h.page);

    // Live: every member moves once a second; the page's frames are recorded meanwhile.
    const moveFor = async (seconds: number): Promise<void> => {
      for (let s = 0; s < seconds; s++) {
        const started = Date.now();
        published += await sendTick(publisher, fleet, Date.now());
        await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - started))));
      }
    };
    await moveFor(5);
    result.live = await measureFrames(h, () => moveFor(SECONDS));

    // Tab switches while members keep moving.
    const switches: number[][] = [];
    const switching = measureFrames(h, async () => {
      for (let r = 0; r < 3; r++) {
        const toHistory = await switchTab(h, 1);
        await moveFor(2);
        const toLive = await switchTab(h, 0);
        await moveFor(2);
        switches.push([toHistory, toLive]);
      }
    });
    result.tabSwitchFrames = await switching;
    result.tabSwitchMs = switches.map(([a, b]) => ({
      toHistory: +(a ?? 0).toFixed(1),
      toLive: +(b ?? 0).toFixed(1),
    }));

    // The history side's stages (a day's load, playback), with every member still moving, when asked for.
    if (WITH_HISTORY) {
      const historyUids = await seedHistory(h.runtime.store);
      result.history = await runHistoryStages(
        h.page,
        { store: h.runtime.store, url: h.host.url },
        { uids: historyUids },
      );
    }

    // Every published fix should be stored (the station's own count, from SQLite). Fixes the relay coalesced for
    // a slow station come back by catch-up: counted right after publishing stopped, then once all are in.
    const stored = async (): Promise<number> =>
      uids.reduce((sum, uid) => sum + h.runtime.store.countRange(uid, 0, Date.now() + 86_400_000), 0);
    const publishingEnded = Date.now();
    await h.runtime.station.fixesDelivered();
    result.fixesStoredWhenPublishingEnded = await stored();
    await until(async () => ((await stored()) >= published ? true : undefined), {
      timeoutMs: 180_000,
      everyMs: 1000,
    }).catch(() => undefined);
    result.fixesPublished = published;
    result.fixesStored = await stored();
    result.allStoredAfterSeconds = +((Date.now() - publishingEnded) / 1000).toFixed(1);
    result.relayDropped = await relayCounter(h, 'lodestar_relay_fixes_dropped_total');
    result.relayCloses = await relayCounter(h, 'lodestar_relay_closes_total');
    result.relayClosesByCode = await relayCounterByLabel(h, 'lodestar_relay_closes_total');
    result.relayCoalesced = await relayCounter(h, 'lodestar_relay_fixes_coalesced_total');
    result.stationReconnects = h.runtime.station.relay.counters.reconnects;
    result.stationRetryCodes = retryCodes;
    result.stationRangeRequests = h.runtime.station.relay.counters.rangeRequests;
    result.stationGapCatchups = h.runtime.station.relay.counters.gapCatchups;
    result.stationHeartbeatStalls = h.runtime.station.relay.counters.heartbeatStalls;
    result.eventLoopDelayMs = {
      p99: +(loopDelay.percentile(99) / 1e6).toFixed(1),
      max: +(loopDelay.max / 1e6).toFixed(1),
    };
    result.pageCounters = await h.page.evaluate(() =>
      (window as unknown as { lodestarLiveProbe?: { counters(): unknown } }).lodestarLiveProbe?.counters(),
    );
    result.pageErrors = h.pageErrors.length;
    await publisher.close();
  } finally {
    stopStatus();
    loopDelay.disable();
    await h.close();
  }
  return result;
}

function docsSection(results: Record<string, unknown>[]): string {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, Debian Chromium (headless, software rendering)`;
  const rows = results.map((r) => {
    const live = r.live as FrameFigures;
    const tabs = r.tabSwitchMs as { toHistory: number; toLive: number }[];
    const worstTab = Math.max(...tabs.map((t) => Math.max(t.toHistory, t.toLive)));
    const allIn = r.fixesStored === r.fixesPublished ? `${r.allStoredAfterSeconds} s` : 'not within 180 s';
    return `| ${r.members} | ${live.p50} | ${live.p95} | ${live.p99} | ${live.longTasks} | ${worstTab.toFixed(0)} | ${r.fixesStoredWhenPublishingEnded} / ${r.fixesPublished} | ${r.fixesStored} (${allIn}) | ${r.relayCoalesced} / ${r.relayDropped} | ${r.stationReconnects} |`;
  });
  return `## Renderer

Command: \`npm run bench:renderer -- --members ${MEMBER_COUNTS.join(',')} --seconds ${SECONDS} --trail-fill ${TRAIL_FILL} --docs\`
(\`tsx bench/renderer.bench.ts\`), run ${new Date().toISOString().slice(0, 16)}Z on ${machine}, a machine shared with
other work (compare within one run). The whole pipeline: a private Redis, the relay, the station (real SQLite),
the browser host and Chromium at 1600 × 900. Trails are first filled to ${Math.round(TRAIL_FILL * 100)} % of their cap
(${TRAIL_CAP} points, ${TRAIL_INTERVAL_S} s apart), then every member moves once a second for ${SECONDS} s while frame times are recorded.
Targets: 1,000 members p95 ≤ 16.7 ms; 5,000 members p95 ≤ 33 ms, tab switch ≤ 300 ms, 0 reconnects, every fix stored.

| members | frame p50 ms | p95 ms | p99 ms | long tasks / 10 s | worst tab switch ms | fixes stored when publishing ended / published | stored in the end (when) | relay coalesced / dropped | station reconnects |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Full figures of this run:

\`\`\`json
${JSON.stringify(results, null, 1)}
\`\`\`
`;
}

async function main(): Promise<void> {
  const results: Record<string, unknown>[] = [];
  for (const members of MEMBER_COUNTS) {
    process.stderr.write(`bench:renderer: ${members} members…\n`);
    const result = await runOne(members);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    results.push(result);
  }
  const text = docsSection(results);
  process.stdout.write(`\n${text}`);
  if (WRITE_DOCS) {
    const path = new URL('../docs/benchmarks.md', import.meta.url);
    let doc = readFileSync(path, 'utf8');
    const start = doc.indexOf('## Renderer\n');
    if (start >= 0) {
      const next = doc.indexOf('\n## ', start + 1);
      doc = doc.slice(0, start) + text + (next >= 0 ? doc.slice(next + 1) : '');
    } else doc = `${doc.trimEnd()}\n\n${text}`;
    writeFileSync(path, doc);
    process.stderr.write('bench:renderer: docs/benchmarks.md updated\n');
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench:renderer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
