/**
 * 500 watched members moving at 1 Hz through the whole pipeline (Redis → relay → station → browser host →
 * Chromium). Asserts every member is drawn and follows its fixes; prints frame-time figures (not asserted: the
 * machine is shared, and benchmarks are not timed tests).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBER_COLORS } from '../../contract/member-colors.js';
import { CHROMIUM, startHarness, until, type Harness } from './harness.js';
import { drawnCount, drawnMarker } from './live-probe.js';

const MEMBERS = 500;
const SECONDS = 8;
const FIRST_UID = 1000;

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`renderer load test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

let h: Harness;

beforeAll(async () => {
  if (!hasChromium) return;
  h = await startHarness({
    // The costly case: every fix arrives in GCJ-02 and is drawn on a WGS-84 basemap (iterative inverse).
    settings: { basemapCrs: 'wgs84' },
    preWatch: Array.from({ length: MEMBERS }, (_, i) => ({
      uid: String(FIRST_UID + i),
      color: MEMBER_COLORS[i % MEMBER_COLORS.length],
    })),
  });
});

afterAll(async () => {
  await h?.close();
});

const position = (i: number, second: number) => ({
  uid: FIRST_UID + i,
  lat: 39.8 + (i % 25) * 0.01 + second * 0.0003,
  lon: 116.25 + Math.floor(i / 25) * 0.01,
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

describe.skipIf(!hasChromium)('500 watched members at 1 Hz', () => {
  it('draws every member and follows its fixes (frame figures printed)', async () => {
    const page = h.page;
    await page.locator('.status-bar[data-state="connected"]').waitFor({ timeout: 15_000 });
    await until(() => h.relay.stats().watchedMembers >= MEMBERS, 15_000);
    // The list mounts only the rows in sight; its header counts them all.
    await expect.poll(() => page.locator('.watch-list h2 small').innerText()).toContain(String(MEMBERS));

    await page.evaluate(() => {
      const w = window as unknown as { frames: number[]; longTasks: number[] };
      w.frames = [];
      w.longTasks = [];
      const loop = (t: number): void => {
        w.frames.push(t);
        requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
      }).observe({ entryTypes: ['longtask'] });
    });

    const lastUid = String(FIRST_UID + MEMBERS - 1);
    let afterFirst: { x: number; y: number } | undefined;
    for (let second = 0; second < SECONDS; second++) {
      const started = Date.now();
      await h.publish(Array.from({ length: MEMBERS }, (_, i) => position(i, second)));
      if (second === 0) {
        await expect.poll(() => drawnMarker(page, lastUid), { timeout: 10_000 }).toBeDefined();
        // The first fixes may fit the view to the first batch only: "fit all" brings every member in.
        await page.click('button.fit-all');
        await expect.poll(() => drawnCount(page), { timeout: 10_000 }).toBe(MEMBERS);
        afterFirst = await drawnMarker(page, lastUid);
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - started))));
    }

    // Every member is painted (its pixel carries colour), and the last one followed its fixes north.
    await expect.poll(() => drawnCount(page)).toBe(MEMBERS);
    for (const i of [0, 250, MEMBERS - 1]) {
      expect((await drawnMarker(page, String(FIRST_UID + i)))?.alpha).toBeGreaterThan(0);
    }
    await expect
      .poll(async () => ((await drawnMarker(page, lastUid))?.y ?? Infinity) < (afterFirst?.y ?? 0))
      .toBe(true);
    const received = await until(async () => {
      const text = await page.locator('.status-count').innerText();
      const n = Number(text.replace(/\D/g, ''));
      return n >= MEMBERS * (SECONDS - 1) ? n : undefined;
    }, 10_000);

    const { frames, longTasks } = await page.evaluate(() => {
      const w = window as unknown as { frames: number[]; longTasks: number[] };
      return { frames: w.frames, longTasks: w.longTasks };
    });
    const intervals = frames
      .slice(1)
      .map((t, i) => t - (frames[i] as number))
      .sort((a, b) => a - b);
    const figures = {
      members: MEMBERS,
      seconds: SECONDS,
      fixesReceivedByPage: received,
      frames: frames.length,
      frameMsP50: +percentile(intervals, 0.5).toFixed(1),
      frameMsP95: +percentile(intervals, 0.95).toFixed(1),
      frameMsP99: +percentile(intervals, 0.99).toFixed(1),
      frameMsMax: +(intervals.at(-1) ?? Number.NaN).toFixed(1),
      framesOver50ms: intervals.filter((d) => d > 50).length,
      longTasks: longTasks.length,
      longTaskMsTotal: Math.round(longTasks.reduce((a, b) => a + b, 0)),
    };
    console.log(`renderer load figures (GCJ-02 fixes on a WGS-84 basemap): ${JSON.stringify(figures)}`);
    await page.screenshot({ path: '/tmp/lodestar-renderer-500.png' });
    expect(frames.length).toBeGreaterThan(0);
    expect(h.pageErrors).toEqual([]);
  }, 60_000);
});
