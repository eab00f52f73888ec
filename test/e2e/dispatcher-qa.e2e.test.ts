/**
 * Layout and history-review checks from a dispatcher QA pass, in real Chromium at the window widths dispatchers
 * use (1024 and 1360 px), in English and Chinese: the "off view" mark and long member names stay readable, stop
 * markers that would overlap are merged into one readable marker, the "no basemap" note stays off the tracks, and
 * one member can be followed during history playback. Screenshots go to /tmp/lodestar-qa/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../contract/station-api.js';
import { en } from '../../renderer/src/i18n/en.js';
import { zhCN } from '../../renderer/src/i18n/zh-CN.js';
import type { Fix } from '../../protocol/fix.js';
import { CHROMIUM, startHarness, until, type Harness } from './harness.js';
import { afterFrames, clockMoved, zoomByButtons } from './live-probe.js';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`dispatcher QA UI tests skipped: ${CHROMIUM} is missing`);

const SHOTS = '/tmp/lodestar-qa';
const WIDTHS = [1024, 1360] as const;
const LOCALES: Locale[] = ['en', 'zh-CN'];

const NEAR = { uid: '101', label: 'Night patrol team, north district (relief crew B)' };
const FAR = { uid: '102', label: '夜间巡逻北区第二支援小组（替班）' };
const DRIVER = { uid: '201', label: 'Van 3' };

let h: Harness;
let page: Page;

/**
 * The driver's last hour, written as the station would have stored it: 5 s fixes, three 4-minute stops within
 * 120 m of each other (their markers overlap at the period's fitted zoom), a drive, two more stops 100 m apart.
 */
function driverDay(end: number): Fix[] {
  const A = { lat: 39.9, lon: 116.34 };
  const east = (p: { lat: number; lon: number }, m: number) => ({ ...p, lon: p.lon + m / 85_000 });
  const north = (p: { lat: number; lon: number }, m: number) => ({ ...p, lat: p.lat + m / 111_000 });
  const D = { lat: 39.93, lon: 116.37 };
  const plan: { to: { lat: number; lon: number }; minutes: number }[] = [
    { to: A, minutes: 3 },
    { to: A, minutes: 4 },
    { to: east(A, 120), minutes: 1 },
    { to: east(A, 120), minutes: 4 },
    { to: north(A, 60), minutes: 1 },
    { to: north(A, 60), minutes: 4 },
    { to: D, minutes: 8 },
    { to: D, minutes: 4 },
    { to: east(D, 100), minutes: 1 },
    { to: east(D, 100), minutes: 4 },
    { to: { lat: 39.96, lon: 116.42 }, minutes: 8 },
  ];
  const total = plan.reduce((s, p) => s + p.minutes, 0);
  const fixes: Fix[] = [];
  let t = end - total * 60_000;
  let at = { lat: 39.88, lon: 116.3 };
  for (const { to, minutes } of plan) {
    const steps = (minutes * 60) / 5;
    const from = at;
    for (let k = 1; k <= steps; k++) {
      const f = k / steps;
      t += 5_000;
      fixes.push({
        uid: DRIVER.uid,
        lat: from.lat + (to.lat - from.lat) * f,
        lon: from.lon + (to.lon - from.lon) * f,
        ts: t,
        crs: 'wgs84',
      });
    }
    at = to;
  }
  return fixes;
}

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(SHOTS, { recursive: true });
  h = await startHarness({
    viewport: { width: 1360, height: 820 },
    settings: { locale: 'en' },
    preWatch: [
      { ...NEAR, color: '#1f77b4' },
      { ...FAR, color: '#d62728' },
      { ...DRIVER, color: '#2ca02c' },
    ],
  });
  h.runtime.store.updateSettings({ basemap: 'none' });
  const day = driverDay(Date.now() - 5 * 60_000);
  h.runtime.store.enqueue(day, { receivedAt: Date.now(), replay: false });
  await h.runtime.store.flush();
  page = h.page;
  await page.reload();
}, 120_000);

afterAll(async () => {
  await h?.close();
});

async function setLocale(locale: Locale): Promise<void> {
  await h.runtime.station.updateSettings({ locale });
  await page.reload();
  await page
    .locator('h1')
    .filter({ hasText: locale === 'en' ? 'station' : '调度台' })
    .waitFor();
}

describe.skipIf(!hasChromium)('dispatcher QA in Chromium', () => {
  it('keeps the "off view" mark whole and cuts long names with an ellipsis and a tooltip', async () => {
    await page.locator('.status-bar[data-state="connected"]').waitFor({ timeout: 15_000 });
    await until(() => h.relay.stats().watchedMembers >= 3);
    await h.publish([
      { uid: 101, lon: 116.3975, lat: 39.9087 },
      { uid: 102, lon: 121.47, lat: 31.23 },
    ]);
    await until(async () => (await h.runtime.station.latest([NEAR.uid, FAR.uid])).length === 2);
    for (const locale of LOCALES) {
      await setLocale(locale);
      // Centre the near member: the far one (Shanghai) is then off the visible map.
      await page.click(`li[data-uid="${NEAR.uid}"] .member-meta`);
      const far = page.locator(`li[data-uid="${FAR.uid}"][data-outside="true"]`);
      await far.waitFor({ timeout: 10_000 });
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 768 });
        await expect.poll(() => page.evaluate(() => window.innerWidth)).toBe(width);
        const fits = await far.evaluate((row) => {
          const meta = row.querySelector('.member-meta')!.getBoundingClientRect();
          const mark = row.querySelector<HTMLElement>('.outside-mark')!;
          const box = mark.getBoundingClientRect();
          return {
            text: mark.innerText.replace(/^[\s·]+/, ''),
            whole: mark.scrollWidth <= mark.clientWidth + 0.5 && box.right <= meta.right + 0.5,
            width: box.width,
          };
        });
        expect(fits.text).toBe(locale === 'en' ? en['watch.outside'] : zhCN['watch.outside']);
        expect(fits.whole, `${locale} at ${width} px`).toBe(true);
        expect(fits.width).toBeGreaterThan(12);
        // The long names: cut with an ellipsis, whole in the tooltip.
        for (const m of [NEAR, FAR]) {
          const label = page.locator(`li[data-uid="${m.uid}"] .member-label`);
          await expect(label.getAttribute('title')).resolves.toBe(m.label);
          const cut = await label.evaluate((el: HTMLInputElement) => ({
            overflow: el.scrollWidth > el.clientWidth,
            ellipsis: getComputedStyle(el).textOverflow,
          }));
          expect(cut).toEqual({ overflow: true, ellipsis: 'ellipsis' });
        }
        await page.screenshot({ path: `${SHOTS}/live-${width}-${locale}.png` });
      }
    }
  }, 60_000);

  type DrawnStop = { uid: string; label: string; x: number; y: number; width: number; height: number };
  const stopMarkers = () =>
    page.evaluate(() =>
      (
        window as unknown as { lodestarHistoryProbe?: { stopMarkers(): DrawnStop[] } }
      ).lodestarHistoryProbe?.stopMarkers(),
    );

  /** The history tab with the driver's last hour loaded (the other members unticked). */
  async function loadDriverHistory(): Promise<void> {
    await page.click('nav [role="tab"]:nth-child(2)');
    await page.locator('.member-pick').first().waitFor();
    const picks = page.locator('.member-pick');
    for (let i = 0; i < (await picks.count()); i++) {
      const want = (await picks.nth(i).innerText()).includes(`(${DRIVER.uid})`);
      const box = picks.nth(i).locator('input');
      if ((await box.isChecked()) !== want) await box.click();
    }
    await page.locator('label.preset').first().click();
    await page.click('button.load');
    await expect.poll(() => page.locator('.stop-list li').count(), { timeout: 15_000 }).toBe(5);
    await page.locator('.timeline-row[data-uid="201"] .snapshot[data-snapshot="fix"]').waitFor();
  }

  it('merges stop markers that would overlap into one readable marker; a click on it seeks to its first stop', async () => {
    const overlapping = (markers: DrawnStop[]) =>
      markers.some((a, i) =>
        markers.some(
          (b, j) =>
            j > i &&
            Math.abs(a.x - b.x) * 2 < a.width + b.width &&
            Math.abs(a.y - b.y) * 2 < a.height + b.height,
        ),
      );
    for (const locale of LOCALES) {
      await setLocale(locale);
      await loadDriverHistory();
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 768 });
        // The fitted period: the first three stops (within 120 m) are one marker, the last two (100 m) another.
        await expect.poll(async () => (await stopMarkers())?.map((m) => m.label)).toEqual(['1–3', '4, 5']);
        expect(overlapping((await stopMarkers())!)).toBe(false);
        await page.screenshot({ path: `${SHOTS}/history-stops-${width}-${locale}.png` });
      }
    }
    // A click on the merged marker moves the timeline to its first stop, as the stop list's first line does.
    const clock = page.locator('output.playback-time');
    await page.locator('.stop-list button').first().click();
    const atStop1 = await clock.innerText();
    await page.locator('.timeline-row[data-uid="201"] .health-strip').click({ position: { x: 2, y: 5 } });
    await expect.poll(() => clock.innerText()).not.toBe(atStop1);
    const merged = (await stopMarkers())!.find((m) => m.label === '1–3')!;
    const mapBox = (await page.locator('.map').boundingBox())!;
    await page.mouse.move(mapBox.x + merged.x, mapBox.y + merged.y);
    await expect(page.locator('.map').getAttribute('title')).resolves.toBe(
      zhCN['map.stopMarkers'].replace('{stops}', '1–3').replace('{first}', '1'),
    );
    await page.mouse.click(mapBox.x + merged.x, mapBox.y + merged.y);
    await expect.poll(() => clock.innerText()).toBe(atStop1);
    // Zoomed in, the stops are apart again, each with its own number.
    await zoomByButtons(page, 4);
    await expect
      .poll(async () => (await stopMarkers())?.map((m) => m.label).filter((l) => /^[123]$/.test(l)))
      .toEqual(['1', '2', '3']);
    expect(overlapping((await stopMarkers())!)).toBe(false);
  }, 90_000);

  it('keeps the "no basemap" note beside the map, never over the tracks, and lets it be hidden', async () => {
    type Box = { x: number; y: number; width: number; height: number };
    const intersects = (a: Box, b: Box) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    for (const locale of LOCALES) {
      await setLocale(locale);
      await loadDriverHistory();
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 768 });
        const note = page.locator('.map-note');
        await expect(note.innerText()).resolves.toContain(
          locale === 'en' ? en['map.noTiles'] : zhCN['map.noTiles'],
        );
        // Not one pixel of the note over the map the tracks are drawn on, and its text whole.
        const noteBox = (await note.boundingBox())!;
        await expect
          .poll(async () => intersects(noteBox, (await page.locator('.map').boundingBox())!))
          .toBe(false);
        expect(await note.locator('.map-note-text').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(
          true,
        );
        await page.screenshot({ path: `${SHOTS}/no-basemap-${width}-${locale}.png` });
      }
    }
    // Hidden by its button (named in the page's language), the map takes its place, for the rest of the session.
    const close = page.locator('.map-note-close');
    await expect(close.getAttribute('aria-label')).resolves.toBe(zhCN['map.noTilesDismiss']);
    await close.click();
    await page.locator('.map-note').waitFor({ state: 'detached' });
    await expect
      .poll(async () => (await page.locator('.map').boundingBox())!.y)
      .toBe((await page.locator('.map-wrap').boundingBox())!.y);
    await page.reload();
    await page.locator('.map').waitFor();
    expect(await page.locator('.map-note').count()).toBe(0);
  }, 90_000);

  it('follows one member during playback, and stops following when the map is panned by hand', async () => {
    type Point = { x: number; y: number };
    type LatLng = { lat: number; lng: number };
    const marker = () =>
      page.evaluate(
        (uid) =>
          (
            window as unknown as { lodestarHistoryProbe?: { playbackMarker(uid: string): Point | undefined } }
          ).lodestarHistoryProbe?.playbackMarker(uid),
        DRIVER.uid,
      );
    const probe = () =>
      page.evaluate(() => {
        const p = (window as unknown as { lodestarLiveProbe: { zoom(): number; centre(): LatLng } })
          .lodestarLiveProbe;
        return { zoom: p.zoom(), centre: p.centre() };
      });
    const follow = page.locator(`.timeline-row[data-uid="${DRIVER.uid}"] button.follow`);
    for (const locale of LOCALES) {
      const dict = locale === 'en' ? en : zhCN;
      await setLocale(locale);
      await loadDriverHistory();
      await expect(follow.innerText()).resolves.toBe(dict['popup.follow']);
      await expect(follow.getAttribute('title')).resolves.toBe(
        dict['timeline.followTitle'].replace('{name}', DRIVER.label),
      );
      await follow.click();
      await expect(follow.getAttribute('aria-pressed')).resolves.toBe('true');
      await expect(follow.innerText()).resolves.toBe(dict['watch.following']);
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 768 });
        await afterFrames(page);
        await page.screenshot({ path: `${SHOTS}/history-follow-${width}-${locale}.png` });
      }
    }

    // Street level, away from the driver: following brings its marker back into the middle of the map.
    await page.setViewportSize({ width: 1360, height: 768 });
    await zoomByButtons(page, 3);
    // Zoomed in around the map's centre, the driver is off the map; the first stop is picked from the list (a
    // time with data: jumping the period's silent start would say so in a note that resizes the map).
    await page.locator('.stop-list button').first().click();
    const mapSize = async () => {
      const box = (await page.locator('.map').boundingBox())!;
      return { w: box.width, h: box.height };
    };
    const inView = async () => {
      const [at, size] = [await marker(), await mapSize()];
      return !!at && at.x >= 0 && at.y >= 0 && at.x <= size.w && at.y <= size.h;
    };
    await expect.poll(inView).toBe(true);

    // Played at 300×, the driver leaves its first stops and drives kilometres (several map widths at this zoom):
    // every sample finds its marker on the map.
    const start = (await probe()).centre;
    await page.selectOption('.history-timeline select', '300');
    await page.click('button.play');
    const clock = page.locator('output.playback-time');
    const samples: boolean[] = [];
    for (let i = 0; i < 50; i++) {
      samples.push(await inView());
      await clockMoved(clock);
    }
    expect(samples.every(Boolean)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/history-following-playback-1360-zh-CN.png` });
    const moved = (await probe()).centre;
    expect(Math.hypot(moved.lat - start.lat, moved.lng - start.lng)).toBeGreaterThan(0.01);

    // From the first stop again at 60× (the 300× run may have reached the period's end on a loaded machine), so
    // playback is still going while the map is dragged and watched.
    const playButton = page.locator('button.play');
    await page.locator('.stop-list button').first().click();
    await page.selectOption('.history-timeline select', '60');
    if ((await playButton.innerText()) === zhCN['playback.play']) await playButton.click();
    await expect.poll(() => playButton.innerText()).toBe(zhCN['playback.pause']);
    // A drag by hand stops following (the button says so), and the map then stays where it was put.
    const box = (await page.locator('.map').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 80, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => follow.getAttribute('aria-pressed')).toBe('false');
    await expect(follow.innerText()).resolves.toBe(zhCN['popup.follow']);
    // Leaflet's drag inertia glides the map on for a while after the button is up: wait until it has settled.
    let left = (await probe()).centre;
    for (;;) {
      await page.waitForTimeout(400);
      const now = (await probe()).centre;
      if (now.lat === left.lat && now.lng === left.lng) break;
      left = now;
    }
    // Playback goes on (the clock moves on several times) and the map stays.
    for (let i = 0; i < 5; i++) await clockMoved(clock);
    expect((await probe()).centre).toEqual(left);
  }, 90_000);
});
