/**
 * History review in a real Chromium against the real browser host and store:
 *   1. one member's generated day (86,400 fixes at 1 Hz) from choosing the period to the track drawn (target ≤ 100 ms),
 *   2. ten members' day, same measure (target ≤ 500 ms),
 *   each twice: "Yesterday", which the page had the station analyse ahead once it was idle (what a dispatcher who
 *   opened the station earlier sees), and the same day as a custom range nobody prepared (analysed on the click),
 *   3. playback at 600× of the ten members: frame intervals (requestAnimationFrame) and the work inside each frame
 *      callback, p50/p95 (target p95 frame ≤ 16.7 ms).
 * "Choosing the period" is the Load click (`history:choose` mark). "Track on screen" is the first frame painted after
 * the canvas layer's first draw of the loaded period (`history:shown`): the work left in that task (fitting the map,
 * laying out what mounted with it) delays the frame, so the draw call alone (`history:drawn`) flatters; "reports on
 * screen" the same for the panel's reports (`history:reports`). `runHistoryStages` takes a page and a harness so `npm run bench:renderer`
 * can run it beside the live-map stages; run alone, this file starts its own station and writes the "History"
 * section of docs/benchmarks.md with --docs.
 */
import type { Page } from 'playwright-core';
import { WARM_EVERY_MS } from '../electron/core/store/overview.js';
import type { TrackStore } from '../electron/core/store/types.js';
import { seedYesterday, yesterdayStart } from '../scripts/lib/history-seed.js';
import { CALL_PATH, KEY_HEADER } from '../contract/web-protocol.js';
import { WIRE_BINARY_TYPE } from '../contract/wire-binary.js';

export interface HistoryBenchHarness {
  store: TrackStore;
  /** The browser host URL with its key, as printed. */
  url: string;
}

export interface HistoryFigures {
  oneMember: LoadTiming[];
  oneMemberNotPrepared: LoadTiming[];
  tenMembers: LoadTiming[];
  tenMembersNotPrepared: LoadTiming[];
  /** `late`: intervals longer than 1.5 frames at 60 Hz, i.e. frames the page missed. */
  playbackFrameMs: { p50: number; p95: number; frames: number; late: number };
  playbackWorkMs: { p50: number; p95: number };
  /** The ten members' yesterday fetched by the page alone (no analysis, no drawing), medians of the runs. */
  transferMs: Transfer;
}

export const UTC_OFFSET_MIN = 480; // the page runs in Asia/Shanghai, as dispatchers do
const MEMBERS = 10;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

/** Ten members' generated days (scripts/lib/history-seed.ts) in the store, watched. */
export async function seedHistory(store: TrackStore, now = Date.now()): Promise<string[]> {
  const uids = Array.from({ length: MEMBERS }, (_, m) => String(42 + m));
  await seedYesterday(store, uids, { now, utcOffsetMin: UTC_OFFSET_MIN });
  for (const uid of uids) store.putWatched(uid, { label: `Courier ${uid}` });
  // A dispatcher's station has been running a while before anyone reviews history, its periodic warm-up of the
  // overview code (electron/core/store/overview.ts) among it. Storing 864,000 fixes just now made V8 drop that
  // code (a one-time invalidation its next run repairs): wait for that run, as a station running for a while has.
  await new Promise((resolve) => setTimeout(resolve, WARM_EVERY_MS + 500));
  // Its idle-time packer has also stored each closed hour as a blob (electron/core/store/hour-packer.ts).
  await waitForPacker(store);
  return uids;
}

/** Until the store says every closed hour has its blob: a fact from its status, polled. */
export async function waitForPacker(store: TrackStore, timeoutMs = 15 * 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!store.status().hourColumns?.caughtUp) {
    if (Date.now() > until) throw new Error('the store packed no blobs for its closed hours in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Until the store has prepared `members` overviews ahead and has none waiting: a fact from its status, polled. */
export async function waitForPrepared(store: TrackStore, members: number, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const status = store.status().overviews;
    if (status !== undefined && status.waiting === 0 && status.prepared >= members) return;
    if (Date.now() > until)
      throw new Error(`the page had no overviews prepared ahead: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Per run, from the Load click: the track on screen (the target), the canvas draw call, every member's overview in
 * the page, the reports on screen, and every fix in the page (the columns playback needs, after the draw).
 */
export interface LoadTiming {
  totalMs: number;
  drawnMs: number;
  fetchMs: number;
  reportsMs: number;
  columnsMs: number;
}

interface Transfer {
  full: number;
  downsampled: number;
  holes: number;
  overview: number;
  fullBytes: number;
  overviewBytes: number;
}

/**
 * How a run chooses the period: the "Yesterday" preset, which the page had the station prepare ahead
 * (renderer/src/history/prepare-ahead.ts), or a custom range over the same day that nobody prepared (00:0r to
 * 23:59 for run r, so every run is a period not looked at before).
 */
type PeriodChoice = 'yesterday' | 'notPrepared';

async function choosePeriod(page: Page, choice: PeriodChoice, run: number): Promise<void> {
  await page.locator('.preset', { hasText: /Yesterday|昨天/ }).click();
  if (choice === 'yesterday') return;
  await page
    .locator('.preset')
    .filter({ has: page.locator('input[value="custom"]') })
    .click();
  const from = page.locator('.custom-range input[type="datetime-local"]').first();
  const value = await from.inputValue();
  await from.fill(`${value.slice(0, 14)}${String(run + 1).padStart(2, '0')}`);
}

async function timeLoad(
  page: Page,
  uids: readonly string[],
  runs: number,
  choice: PeriodChoice = 'yesterday',
): Promise<LoadTiming[]> {
  const out: LoadTiming[] = [];
  for (let r = 0; r < runs; r++) {
    await page.evaluate(() => performance.clearMarks());
    const boxes = page.locator('.member-pick input[type=checkbox]');
    const count = await boxes.count();
    for (let k = 0; k < count; k++) {
      const text = (await page.locator('.member-pick').nth(k).textContent()) ?? '';
      const want = uids.some((u) => text.includes(`(${u})`));
      if ((await boxes.nth(k).isChecked()) !== want) await boxes.nth(k).click();
    }
    await choosePeriod(page, choice, r);
    await page.locator('button.load').click();
    // Waits for every fix too: the next run must not share the machine with this one's columns on their way.
    // No named functions inside: tsx would wrap them in a helper the page does not have.
    await page.waitForFunction(
      () =>
        (performance.getEntriesByName('history:choose').at(-1)?.startTime ?? Infinity) <
          (performance.getEntriesByName('history:columns').at(-1)?.startTime ?? -1) &&
        (performance.getEntriesByName('history:choose').at(-1)?.startTime ?? Infinity) <
          (performance.getEntriesByName('history:reports').at(-1)?.startTime ?? -1),
      undefined,
      { timeout: 120_000 },
    );
    out.push(
      (await page.evaluate(`(() => {
        const choose = performance.getEntriesByName('history:choose').at(-1).startTime;
        // The first of each after the click: the layer draws again when the columns replace the outline.
        const at = (name) => performance.getEntriesByName(name).find((e) => e.startTime > choose).startTime;
        return {
          totalMs: at('history:shown') - choose,
          drawnMs: at('history:drawn') - choose,
          fetchMs: at('history:fetched') - choose,
          reportsMs: at('history:reports') - choose,
          columnsMs: at('history:columns') - choose,
        };
      })()`)) as LoadTiming,
    );
    await page.waitForTimeout(300);
  }
  return out;
}

/**
 * What the ten-member load waits for once the store read is cached: the same ten `queryRange` calls (and the ten
 * `holes` calls) the panel makes, from the page, in parallel, without analysing or drawing; and the ten days
 * downsampled to 2,000 points, to tell the bytes from the round trips.
 */
async function timeTransfer(page: Page, url: string, uids: readonly string[], runs: number) {
  const key = new URLSearchParams(new URL(url).hash.slice(1)).get('key') ?? '';
  const from = yesterdayStart(Date.now(), UTC_OFFSET_MIN);
  const out: Transfer[] = [];
  for (let r = 0; r < runs; r++) {
    // A string, not a function: tsx would wrap named functions in a helper the page does not have.
    out.push(
      (await page.evaluate(`(async () => {
        const call = async (method, query) => {
          const reply = await fetch('${CALL_PATH}' + method, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: '${WIRE_BINARY_TYPE}', '${KEY_HEADER}': '${key}' },
            body: JSON.stringify({ args: [query] }),
          });
          return (await reply.arrayBuffer()).byteLength;
        };
        const uids = ${JSON.stringify(uids)};
        const range = { from: ${from}, to: ${from + 86_400_000} };
        let t = performance.now();
        const bytes = await Promise.all(uids.map((uid) => call('queryRange', { uid, ...range })));
        const full = performance.now() - t;
        t = performance.now();
        await Promise.all(uids.map((uid) => call('queryRange', { uid, ...range, maxPoints: 2000 })));
        const downsampled = performance.now() - t;
        t = performance.now();
        await Promise.all(uids.map((uid) => call('holes', { uid, ...range })));
        const holes = performance.now() - t;
        t = performance.now();
        const overviewBytes = await Promise.all(uids.map((uid) => call('historyOverview', { uid, ...range })));
        const overview = performance.now() - t;
        return {
          full,
          downsampled,
          holes,
          overview,
          fullBytes: bytes.reduce((a, b) => a + b, 0),
          overviewBytes: overviewBytes.reduce((a, b) => a + b, 0),
        };
      })()`)) as Transfer,
    );
  }
  const med = (pick: (x: (typeof out)[number]) => number) => quantile(out.map(pick), 0.5);
  return {
    full: med((x) => x.full),
    downsampled: med((x) => x.downsampled),
    holes: med((x) => x.holes),
    overview: med((x) => x.overview),
    fullBytes: out[0]?.fullBytes ?? 0,
    overviewBytes: out[0]?.overviewBytes ?? 0,
  };
}

/** Frame intervals and per-callback work while playing at 600× for `seconds`. */
async function timePlayback(page: Page, seconds: number) {
  await page.locator('.history-timeline select').selectOption('600');
  // A string, not a function: tsx would wrap named functions in a helper the page does not have.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__work = [];
    let last = performance.now();
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    // Time the work each frame callback does (the playback tick: markers, snapshot, gap jumps).
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) =>
      raf((t) => {
        const start = performance.now();
        cb(t);
        window.__work.push(performance.now() - start);
      });
  })()`);
  await page.locator('.history-timeline button.play').click();
  await page.waitForTimeout(seconds * 1000);
  const { frames, work } = (await page.evaluate(
    `({ frames: window.__frames.slice(5), work: window.__work.slice(5) })`,
  )) as { frames: number[]; work: number[] };
  await page.locator('.history-timeline button.play').click();
  return {
    playbackFrameMs: {
      p50: quantile(frames, 0.5),
      p95: quantile(frames, 0.95),
      frames: frames.length,
      late: frames.filter((ms) => ms > 25).length,
    },
    playbackWorkMs: { p50: quantile(work, 0.5), p95: quantile(work, 0.95) },
  };
}

export async function runHistoryStages(
  page: Page,
  harness: HistoryBenchHarness,
  options: { runs?: number; playbackSeconds?: number; uids: readonly string[] },
): Promise<HistoryFigures> {
  const runs = options.runs ?? 5;
  await page.goto(harness.url);
  // A dispatcher has the page open on the live tab before going to history: the page's idle work on that tab
  // (renderer/src/history/warm-history.ts) is done by then. Waiting for it keeps the first run from depending on
  // how fast Playwright reaches the Load button.
  await page.waitForFunction(() => performance.getEntriesByName('history:warm-up').length > 0, undefined, {
    timeout: 30_000,
  });
  // And the page, once idle, had the station analyse yesterday for every watched member (prepare-ahead.ts).
  await waitForPrepared(harness.store, options.uids.length);
  await page.locator('[role=tab]').nth(1).click();
  await page.locator('.member-pick').first().waitFor();
  const oneMember = await timeLoad(page, options.uids.slice(0, 1), runs);
  // Another member, whose hours no load has read yet: its first run reads them from the store.
  const oneMemberNotPrepared = await timeLoad(page, options.uids.slice(-1), runs, 'notPrepared');
  const tenMembers = await timeLoad(page, options.uids.slice(0, MEMBERS), runs);
  const tenMembersNotPrepared = await timeLoad(page, options.uids.slice(0, MEMBERS), runs, 'notPrepared');
  const playback = await timePlayback(page, options.playbackSeconds ?? 6);
  const transferMs = await timeTransfer(page, harness.url, options.uids.slice(0, MEMBERS), runs);
  return { oneMember, oneMemberNotPrepared, tenMembers, tenMembersNotPrepared, ...playback, transferMs };
}

export function historyReport(f: HistoryFigures): string {
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const med = (xs: number[]) => quantile(xs, 0.5);
  const first = (r: LoadTiming | undefined, pick: (r: LoadTiming) => number) => (r ? ms(pick(r)) : '');
  const load = (name: string, target: string, runs: LoadTiming[]) =>
    `| ${name}, choose → track on screen | ${target} | ` +
    `${first(runs[0], (r) => r.totalMs)} (${first(runs[0], (r) => r.drawnMs)}; ${first(runs[0], (r) => r.fetchMs)}) | ` +
    `${first(runs[0], (r) => r.reportsMs)} | ` +
    `${ms(med(runs.map((r) => r.totalMs)))} (${ms(med(runs.map((r) => r.drawnMs)))}; ${ms(med(runs.map((r) => r.fetchMs)))}) | ` +
    `${ms(med(runs.map((r) => r.reportsMs)))} | ` +
    `${runs.map((r) => r.totalMs.toFixed(0)).join(', ')} | ` +
    `${runs.map((r) => r.columnsMs.toFixed(0)).join(', ')} |`;
  return [
    '| stage | target | first run: track on screen (draw call; overviews) | first run: reports on screen | median: track on screen (draw call; overviews) | median: reports on screen | all runs, track on screen (ms) | every fix in the page, all runs (ms) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    load("one member's day (86,400 fixes)", '≤ 100 ms', f.oneMember),
    load("one member's day, not prepared ahead", '', f.oneMemberNotPrepared),
    load("ten members' day (864,000 fixes)", '≤ 500 ms', f.tenMembers),
    load("ten members' day, not prepared ahead", '', f.tenMembersNotPrepared),
    `| playback 600×, ten members: frame interval p50 / p95 | p95 ≤ 16.7 ms | | | ${ms(f.playbackFrameMs.p50)} / ${ms(f.playbackFrameMs.p95)} | | ${f.playbackFrameMs.frames} frames, ${f.playbackFrameMs.late} longer than 25 ms | |`,
    `| playback 600×: work in each frame callback p50 / p95 | | | | ${ms(f.playbackWorkMs.p50)} / ${ms(f.playbackWorkMs.p95)} | | | |`,
    `| ten members' day, the page's fetches alone: columns (${(f.transferMs.fullBytes / 1e6).toFixed(1)} MB) / overviews (${(f.transferMs.overviewBytes / 1e6).toFixed(2)} MB) / downsampled to 2,000 points / ten \`holes\` calls | | | | ${ms(f.transferMs.full)} / ${ms(f.transferMs.overview)} / ${ms(f.transferMs.downsampled)} / ${ms(f.transferMs.holes)} | | | |`,
  ].join('\n');
}
