/**
 * 500 watched members moving at 1 Hz through the whole pipeline (Redis → relay → station → browser host →
 * Chromium). Asserts every member is drawn and follows its fixes; prints frame-time figures (not asserted: the
 * machine is shared, and benchmarks are not timed tests).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBER_COLORS } from '../../contract/member-colors.js';
import { CHROMIUM, startHarness, until, type Harness } from './harness.js';

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
    await expect(page.locator('.watch-list li').count()).resolves.toBe(MEMBERS);

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

    let afterFirst: string | null = null;
    for (let second = 0; second < SECONDS; second++) {
      const started = Date.now();
      await h.publish(Array.from({ length: MEMBERS }, (_, i) => position(i, second)));
      if (second === 0) {
        await page
          .locator('path.live-marker')
          .nth(MEMBERS - 1)
          .waitFor({ timeout: 10_000 });
        afterFirst = await page.locator(`path.live-marker-${FIRST_UID + MEMBERS - 1}`).getAttribute('d');
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - started))));
    }

    await expect(page.locator('path.live-marker').count()).resolves.toBe(MEMBERS);
    await page.waitForFunction(
      ([uid, d]) => document.querySelector(`path.live-marker-${uid}`)?.getAttribute('d') !== d,
      [FIRST_UID + MEMBERS - 1, afterFirst] as const,
    );
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
