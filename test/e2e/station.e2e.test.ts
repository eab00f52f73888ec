/**
 * The renderer in real Chromium over the whole pipeline: fixes published on a private Redis go through the relay,
 * the station (real SQLite) and the browser host into the page. Asserts what a dispatcher sees: the marker
 * appears and moves, the watch list works, history loads with stats and plays back, exports download, and the
 * language switches with no untranslated key on screen.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRACK_SETTINGS } from '../../contract/track/settings.js';
import { en } from '../../renderer/src/i18n/en.js';
import { CHROMIUM, startHarness, until, type Harness } from './harness.js';
import { closeColor, drawnMarker, mapZoom, zoomByButtons } from './live-probe.js';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`renderer UI tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

let h: Harness;
let page: Page;

beforeAll(async () => {
  if (!hasChromium) return;
  h = await startHarness();
  page = h.page;
});

afterAll(async () => {
  await h?.close();
});

const keysOnScreen = async (): Promise<string[]> => {
  const text = await page.locator('body').innerText();
  return Object.keys(en).filter((key) => text.includes(key));
};

const marker = (uid: string) => drawnMarker(page, uid);
/** Wait until the member's marker is painted somewhere other than `before` (or at all, without `before`). */
const markerMoved = async (uid: string, before?: { x: number; y: number }) =>
  expect
    .poll(
      async () => {
        const now = await marker(uid);
        return now && now.alpha > 0 && (!before || Math.hypot(now.x - before.x, now.y - before.y) > 1)
          ? now
          : undefined;
      },
      { timeout: 10_000 },
    )
    .toBeDefined();

describe.skipIf(!hasChromium)('station renderer in Chromium', () => {
  it('opens in Chinese, shows the relay connection and no untranslated key', async () => {
    await page.locator('.status-bar[data-state="connected"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('h1').innerText()).toBe('Lodestar 调度台');
    await expect(page.locator('.status-bar').innerText()).resolves.toContain('已连接');
    expect(await keysOnScreen()).toEqual([]);
    // A fresh station asks which basemap to use (the map still draws meanwhile).
    await expect(page.locator('.basemap-picker h2').innerText()).resolves.toBe('请选择底图');
  });

  it('refuses a bad uid, watches a member by uid, and draws its marker from a fix published on Redis', async () => {
    await page.fill('input[name="uid"]', 'bad uid!');
    await page.click('.watch-add button[type="submit"]');
    await expect(page.locator('.watch-list .form-error').innerText()).resolves.toContain('成员 ID');

    await page.fill('input[name="uid"]', '42');
    await page.fill('input[name="label"]', '一号车');
    await page.click('.watch-add button[type="submit"]');
    await page.locator('li[data-uid="42"]').waitFor();
    await expect(page.locator('li[data-uid="42"] .member-label').inputValue()).resolves.toBe('一号车');
    expect((await h.runtime.station.listWatched()).map((m) => m.uid)).toEqual(['42']);
    await until(() => h.relay.stats().watchedMembers >= 1);

    await h.publish([{ uid: 42, lon: 116.4, lat: 39.91 }]);
    await markerMoved('42');
    expect((await marker('42'))?.state).toBe('live');

    await h.publish([{ uid: 42, lon: 116.43, lat: 39.93 }]);
    // The first fix zoomed in on the member; 3 km on, it is outside the view: the list and the map edge say so.
    await page.locator('li[data-uid="42"][data-outside="true"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.locator('.edge-indicator').count()).toBe(1);
    // A click on the row centres it again; the marker is painted at its new place.
    await page.click('li[data-uid="42"] .member-meta');
    await page.locator('li[data-uid="42"]:not([data-outside])').waitFor({ timeout: 10_000 });
    await markerMoved('42');
    // The trail is drawn on the trails' canvas below the markers' one.
    await expect(page.locator('canvas.live-trails').count()).resolves.toBe(1);
    // Right after connecting the station holds judgement while the catch-up arrives, then counts.
    await expect
      .poll(() => page.locator('.state-counts').innerText(), { timeout: 10_000 })
      .toMatch(/^1 在线 · 0 延迟 · 0 离线$/);
    // A click on the marker opens its popup: label, id, the newest position in WGS-84, follow.
    const at = (await marker('42'))!;
    await page.locator('.map').click({ position: { x: at.x, y: at.y } });
    await expect.poll(() => page.locator('.member-popup').innerText()).toContain('一号车');
    await expect(page.locator('.member-popup .coords').innerText()).resolves.toMatch(
      /^39\.92\d{4}, 116\.42\d{4}$/,
    );
    await page.locator('.leaflet-popup:has(.member-popup) .leaflet-popup-close-button').click();
    // Right-click beside it: the nearest members; a click on a row opens that member's popup (with Follow).
    await page.locator('.map').click({ button: 'right', position: { x: at.x + 40, y: at.y + 40 } });
    await page.locator('.nearest-list li[data-uid="42"] button').click();
    await page.locator('.member-popup[data-uid="42"]').waitFor({ timeout: 5_000 });
    await expect(page.locator('.nearest-list').count()).resolves.toBe(0);
    await expect(page.locator('.member-popup .popup-actions button').nth(1).innerText()).resolves.toBe(
      '跟随',
    );
    await page.locator('.leaflet-popup:has(.member-popup) .leaflet-popup-close-button').click();
    // Rename and recolour in place: the station keeps both, the marker takes the new colour.
    await page.fill('li[data-uid="42"] .member-label', '一号车（夜班）');
    await page.locator('li[data-uid="42"] .member-label').blur();
    await page.fill('li[data-uid="42"] input[type="color"]', '#123456');
    await expect
      .poll(async () => (await h.runtime.station.listWatched()).map((m) => [m.label, m.color]))
      .toEqual([['一号车（夜班）', '#123456']]);
    await expect.poll(async () => closeColor((await marker('42'))?.color ?? '', '#123456')).toBe(true);
    // "last seen" follows live fixes within a second, without a re-render per fix.
    await page.locator('li[data-uid="42"] .member-meta:has-text("前")').waitFor({ timeout: 5_000 });
  });

  it("has the station analyse yesterday's review of every watched member ahead", async () => {
    // Yesterday in the page's zone, as its "Yesterday" preset spells it.
    const midnight = await page.evaluate(() => new Date().setHours(0, 0, 0, 0));
    const yesterday = { from: midnight - 86_400_000, to: midnight - 1 };
    await until(() => (h.runtime.store.status().overviews?.prepared ?? 0) >= 1);
    const before = h.runtime.store.status().overviews!;
    expect(before.waiting).toBe(0);
    await h.runtime.station.historyOverview({
      uid: '42',
      ...yesterday,
      settings: { ...DEFAULT_TRACK_SETTINGS },
    });
    expect(h.runtime.store.status().overviews!.hits).toBe(before.hits + 1);
  });

  const historyFixes = 120;

  it('reviews history: loads the last hour, shows stats and the speed chart, plays back', async () => {
    await page.fill('input[name="uid"]', '43');
    await page.click('.watch-add button[type="submit"]');
    await page.locator('li[data-uid="43"]').waitFor();
    await until(() => h.relay.stats().watchedMembers >= 2);
    // Ten minutes of a member driving north at 5 s intervals, sent with their own fix times, ending 8 minutes ago.
    const start = Date.now() - 18 * 60_000;
    await h.publish(
      Array.from({ length: historyFixes }, (_, i) => ({
        uid: 43,
        lon: 116.45,
        lat: 39.95 + i * 0.0005,
        ts: start + i * 5_000,
        // 0.0005° of latitude every 5 s is 11.1 m/s: the device's speed agrees with the positions.
        speed: 11.1,
      })),
    );
    await until(async () => {
      const stats = await h.runtime.station.stats({ uid: '43', from: start, to: Date.now() });
      return stats.count >= historyFixes;
    });

    // The review's first-use work (compiling, formatters, the stop labels' font) was done while on the live tab.
    await until(() => page.evaluate(() => performance.getEntriesByName('history:warm-up').length > 0), {
      what: 'the history warm-up on the live tab',
    });
    await page.click('li[data-uid="43"] button:has-text("历史")');
    await expect.poll(() => page.locator('.member-pick:has-text("43") input').isChecked()).toBe(true);
    await page.click('label.preset:has-text("最近一小时")');
    await page.click('button.load');
    await page.locator('dd[data-stat="count"]').waitFor({ timeout: 15_000 });
    const count = Number(await page.locator('dd[data-stat="count"]').innerText());
    expect(count).toBeGreaterThanOrEqual(historyFixes);
    // ≈ 119 × 55.6 m ≈ 6.6 km north.
    await expect(page.locator('dd[data-stat="distance"]').innerText()).resolves.toMatch(/^6\.\d\d 公里$/);
    await expect(page.locator('dd[data-stat="maxSpeed"]').innerText()).resolves.toMatch(/公里\/时$/);
    expect(await page.locator('.stop-list li').count()).toBe(0);
    // Silent in the last hour before the drive and for the 8 minutes since (over the 5-minute gap setting).
    await expect(page.locator('.gap-list li').allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/^\d\d:\d\d 之前无数据，/),
      expect.stringMatching(/^自 \d\d:\d\d 起无数据，8分/),
    ]);
    await expect(page.locator('dd[data-stat="gaps"]').innerText()).resolves.toMatch(/^(49|50)分/);
    // All of it at the edges of the hour: said apart from the gaps between fixes.
    await expect(page.locator('dd[data-stat="gaps"] .stat-note').innerText()).resolves.toMatch(
      /^其中 (49|50)分.*在首个定位点之前或最后一个定位点之后$/,
    );
    expect(await page.locator('canvas.history-canvas').count()).toBe(2);
    expect(await page.locator('path.chart-line').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);
    // The timeline's snapshot: where the member was at the playback time, with the fix's age (once every fix
    // arrived after the overview: never from the outline).
    await expect
      .poll(() => page.locator('.timeline-row[data-uid="43"] .snapshot').innerText())
      .toMatch(/^定位于/);

    // A picked gap off the visible map pans the map to it at the same zoom; one in view leaves the map where it is.
    type LatLng = { lat: number; lng: number };
    const view = () =>
      page.evaluate(() => {
        const probe = (window as unknown as { lodestarLiveProbe: { centre(): LatLng; zoom(): number } })
          .lodestarLiveProbe;
        return { ...probe.centre(), zoom: probe.zoom() };
      });
    const fitted = await view();
    const [startGap, endGap] = await page.locator('.gap-list button').all();
    await endGap!.click();
    expect(await view()).toEqual(fitted);
    await zoomByButtons(page, 3);
    // The drive runs from 39.95° to 40.0095° north: at this zoom its ends are off the map.
    await endGap!.click();
    await expect.poll(async () => Math.abs((await view()).lat - 40.0095)).toBeLessThan(0.004);
    await startGap!.click();
    await expect.poll(async () => Math.abs((await view()).lat - 39.95)).toBeLessThan(0.004);
    expect((await view()).zoom).toBe(fitted.zoom + 3);

    // One time axis: the slider's thumb centre travels exactly over the strips; start and end are labelled.
    const strip = (await page.locator('.timeline-row[data-uid="43"] .health-strip').boundingBox())!;
    const slider = (await page.locator('.playback-slider').boundingBox())!;
    expect(Math.abs(slider.x + 6 - strip.x)).toBeLessThan(1);
    expect(Math.abs(slider.x + slider.width - 6 - (strip.x + strip.width))).toBeLessThan(1);
    await expect(page.locator('.time-axis .axis-edge').allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/^\d\d:\d\d$/),
      expect.stringMatching(/^\d\d:\d\d$/),
    ]);
    // A click a quarter along a strip moves the playhead (drawn across the strips) there.
    await page.locator('.timeline-row[data-uid="43"] .health-strip').click({
      position: { x: strip.width / 4, y: 5 },
    });
    await expect
      .poll(async () => {
        const head = (await page.locator('.time-overlay .playhead').boundingBox())!;
        return Math.abs(head.x + head.width / 2 - (strip.x + strip.width / 4)) < 1.5;
      })
      .toBe(true);
    // The Time box follows the playback clock, to the second.
    const box = page.locator('input[name="snapshotTime"]');
    const clockText = () => page.locator('output.playback-time').innerText();
    // Chromium normalises a datetime-local value whose seconds are 0 to hh:mm: put them back to compare.
    const boxValue = async () => (await box.inputValue()).replace(/T(\d\d:\d\d)$/, 'T$1:00');
    const boxShowsClock = async () =>
      (await clockText()).replace(/\//g, '-').replace(' ', 'T') === (await boxValue());
    await expect.poll(boxShowsClock).toBe(true);
    // A typed time keeps its seconds, and is sought once committed (Enter), not at each edit.
    const typed = await page.evaluate(
      (ms) => {
        const d = new Date(ms);
        const p = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:07`;
      },
      start + 3 * 60_000,
    );
    const clockBefore = await clockText();
    await box.fill(typed);
    expect(await clockText()).toBe(clockBefore);
    await box.press('Enter');
    await expect.poll(clockText).toBe(typed.replace(/-/g, '/').replace('T', ' '));
    await expect.poll(() => box.inputValue()).toBe(typed);
    // A typed time before the period is clamped to its start, and the box says so once it is left.
    await box.fill('2001-01-01T00:00');
    await box.press('Enter');
    await expect.poll(() => box.inputValue()).not.toBe('2001-01-01T00:00');
    await expect.poll(boxShowsClock).toBe(true);
    await page.locator('.timeline-row[data-uid="43"] .health-strip').click({ position: { x: 1, y: 5 } });
    await expect.poll(boxShowsClock).toBe(true);

    const markers = page.locator('canvas.history-markers');
    const pixels = () => markers.evaluate((c: HTMLCanvasElement) => c.toDataURL());
    const time = page.locator('output.playback-time');
    const atStart = { pixels: await pixels(), time: await time.innerText() };
    await page.selectOption('.history-timeline select', '60');
    await page.click('button.play');
    await expect.poll(() => page.locator('button.play').innerText()).toBe('暂停');
    await page.waitForFunction(
      (t) => document.querySelector('output.playback-time')?.textContent !== t,
      atStart.time,
    );
    await page.waitForTimeout(300);
    expect(await pixels()).not.toBe(atStart.pixels);
    // At 600× the rest of the track plays out and playback stops at its end.
    await page.selectOption('.history-timeline select', '600');
    await page.locator('button.play:has-text("播放")').waitFor({ timeout: 10_000 });
    await expect.poll(boxShowsClock).toBe(true);
    expect(await keysOnScreen()).toEqual([]);
    await page.screenshot({ path: '/tmp/lodestar-renderer-history-zh.png' });

    // A refused range takes the previous period away: no timeline to play, no reports passing for the new range.
    await page.click('label.preset:has-text("自定义")');
    const [fromBox, toBox] = await page.locator('.custom-range input').all();
    await fromBox!.fill('2026-01-02T10:00');
    await toBox!.fill('2026-01-01T10:00');
    await page.click('button.load');
    await expect
      .poll(() => page.locator('.history-panel > p.form-error').innerText())
      .toBe('开始时间须早于结束时间。');
    // An end left empty is named, not taken for ends out of order.
    await toBox!.fill('');
    await page.click('button.load');
    await expect
      .poll(() => page.locator('.history-panel > p.form-error').innerText())
      .toBe('请选择结束时间。');
    expect(await page.locator('.history-timeline').count()).toBe(0);
    expect(await page.locator('.member-report').count()).toBe(0);
    // Back to the last hour for the tests that follow.
    await page.click('label.preset:has-text("最近一小时")');
    await page.click('button.load');
    await page.locator('dd[data-stat="count"]').waitFor({ timeout: 15_000 });
    await page.locator('.history-timeline').waitFor();
  });

  it("lines every member's speed chart up with the timeline", async () => {
    // Every speed chart spans the timeline's period: with 42 driving from 5 minutes into 43's drive (sent 18 to 8
    // minutes ago), the cursors of both charts stand at the same place near the start (each chart spanning only its
    // own fixes, 42's had none there).
    const later = Date.now() - 13 * 60_000;
    await h.publish(
      Array.from({ length: 6 }, (_, i) => ({
        uid: 42,
        lon: 116.4,
        lat: 39.9 + i * 0.0005,
        ts: later + i * 5_000,
        speed: 11.1,
      })),
    );
    await until(
      async () => (await h.runtime.station.stats({ uid: '42', from: later, to: Date.now() })).count >= 6,
    );
    await page.click('.member-pick:has-text("42") input');
    await page.click('button.load');
    const cursor = (uid: string) => page.locator(`.member-report[data-uid="${uid}"] line.chart-cursor`);
    await cursor('42').waitFor({ state: 'attached', timeout: 15_000 });
    await cursor('43').waitFor({ state: 'attached' });
    await page.locator('.timeline-row[data-uid="43"] .health-strip').click({ position: { x: 5, y: 5 } });
    await expect.poll(async () => Number(await cursor('43').getAttribute('x1'))).toBeLessThan(20);
    expect(await cursor('42').getAttribute('x1')).toBe(await cursor('43').getAttribute('x1'));
    await page.click('.member-pick:has-text("42") input');
    await page.click('button.load');
    await expect.poll(() => page.locator('.member-report').count()).toBe(1);
    await page.locator('dd[data-stat="count"]').waitFor({ timeout: 15_000 });
    await page.locator('.history-timeline').waitFor();
  });

  it('exports GPX with progress and a download link to the file', async () => {
    await page.click('.export-buttons button:has-text("GPX")');
    await page.locator('.export-result').waitFor({ timeout: 15_000 });
    const text = await page.locator('.export-result').innerText();
    expect(text).toMatch(/已将 \d+ 个定位点写入 .*\.gpx/);
    // The browser host names the file, not where it sits on the station machine.
    expect(text).not.toMatch(/[\\/]/);
    const href = await page.locator('.export-result a[download]').getAttribute('href');
    expect(href).toBeTruthy();
    const gpx = await page.evaluate(async (url) => (await fetch(url as string)).text(), href);
    expect(gpx).toContain('<gpx');
    expect(gpx.match(/<trkpt/g)?.length).toBeGreaterThanOrEqual(historyFixes);
  });

  it('switches the language to English through the settings and keeps it in the station', async () => {
    await page.click('nav button:has-text("设置")');
    await page.selectOption('select[name="locale"]', 'en');
    await page.click('form.settings button[type="submit"]');
    // The page reads back what the station stored: wait for the round trip, not a fixed time.
    await expect.poll(() => page.locator('h1').innerText()).toBe('Lodestar station');
    await expect.poll(() => page.locator('.settings .saved').innerText()).toBe('Saved');
    expect((await h.runtime.station.getSettings()).locale).toBe('en');
    expect(await keysOnScreen()).toEqual([]);

    // The live markers' canvas spans the map and a tenth of it on each side, at the map's size when last shown.
    const liveCanvasFitsMap = () =>
      page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('canvas.live-markers');
        const height = document.querySelector('.map')?.clientHeight ?? 0;
        return canvas?.style.height === `${height + 2 * Math.round(height * 0.1)}px`;
      });
    expect(await liveCanvasFitsMap()).toBe(true);
    await page.click('nav button:has-text("History")');
    await page.locator('dd[data-stat="count"]').waitFor();
    expect(await keysOnScreen()).toEqual([]);
    await page.screenshot({ path: '/tmp/lodestar-renderer-history.png' });
    // The timeline made the map shorter and the period was fitted into it: the hidden live canvases did nothing for
    // either; shown again, they catch up with the map as it is, and the marker is painted.
    await page.locator('.history-timeline').waitFor();
    expect(await liveCanvasFitsMap()).toBe(false);
    await page.click('nav button:has-text("Live")');
    await page.locator('li[data-uid="42"]').waitFor();
    expect(await liveCanvasFitsMap()).toBe(true);
    await markerMoved('42');
    expect(await keysOnScreen()).toEqual([]);
    await page.screenshot({ path: '/tmp/lodestar-renderer-live.png' });
  });

  it('keeps the live thresholds and notification switch in the station, for every window', async () => {
    await page.click('nav button:has-text("Settings")');
    await page.fill('form.live-prefs input[name="staleMinutes"]', '12');
    await page.fill('form.live-prefs input[name="offlineMinutes"]', '10');
    await page.click('form.live-prefs button[type="submit"]');
    await expect.poll(() => page.locator('form.live-prefs .form-error').innerText()).toContain('before');
    await page.fill('form.live-prefs input[name="staleMinutes"]', '1');
    await page.fill('form.live-prefs input[name="offlineMinutes"]', '5');
    await page.locator('form.live-prefs input[type="checkbox"]').uncheck();
    await page.click('form.live-prefs button[type="submit"]');
    await expect.poll(() => page.locator('form.live-prefs .saved').innerText()).toContain('station');
    expect(await h.runtime.station.getSettings()).toMatchObject({
      staleAfterMs: 60_000,
      offlineAfterMs: 300_000,
      desktopNotifications: false,
    });
    // Another window (or the Electron shell) reads the same settings.
    const other = await h.browser.newPage();
    await other.goto(h.host.url);
    await other.click('nav button:has-text("Settings")');
    await expect
      .poll(() => other.locator('form.live-prefs input[name="offlineMinutes"]').inputValue())
      .toBe('5');
    expect(await other.locator('form.live-prefs input[type="checkbox"]').isChecked()).toBe(false);
    await other.close();
    await h.runtime.station.updateSettings({ staleAfterMs: 120_000, offlineAfterMs: 600_000 });
  });

  it('redraws markers in the basemap coordinate system when it changes (fixes stay as stored)', async () => {
    const before = (await marker('42'))!;
    await page.click('nav button:has-text("Settings")');
    await page.selectOption('select[name="basemapCrs"]', 'wgs84');
    await page.click('form.basemap-form button[type="submit"]');
    await expect.poll(async () => (await h.runtime.station.getSettings()).basemapCrs).toBe('wgs84');
    await page.click('nav button:has-text("Live")');
    // GCJ-02 → WGS-84 in Beijing is a shift of a few hundred metres: the marker moves on screen.
    await markerMoved('42', before);
    const [latest] = await h.runtime.station.latest(['42']);
    expect(latest?.crs).toBe('gcj02');
  });

  it('removes a member: gone from the list, the map and the station; Undo brings it back as it was', async () => {
    const before = (await h.runtime.station.listWatched()).find((m) => m.uid === '42')!;
    await page.click('li[data-uid="42"] button.danger');
    await page.locator('li[data-uid="42"]').waitFor({ state: 'detached' });
    await expect.poll(() => marker('42')).toBeUndefined();
    expect((await h.runtime.station.listWatched()).map((m) => m.uid)).toEqual(['43']);
    // A Remove is one click beside Follow and History: the label and colour it dropped come back with Undo.
    await expect(page.locator('.undo-remove span').innerText()).resolves.toBe(`Removed ${before.label}.`);
    await page.click('.undo-remove button.undo');
    await page.locator('li[data-uid="42"]').waitFor();
    await expect
      .poll(async () => (await h.runtime.station.listWatched()).find((m) => m.uid === '42'))
      .toMatchObject({ label: before.label, color: before.color });
    await expect(page.locator('.undo-remove').count()).resolves.toBe(0);
    await page.click('li[data-uid="42"] button.danger');
    await page.locator('li[data-uid="42"]').waitFor({ state: 'detached' });
    expect((await h.runtime.station.listWatched()).map((m) => m.uid)).toEqual(['43']);
  });

  it('offers a removed member under "seen recently" on one readable line, and keeps a followed name readable', async () => {
    await page.click('.bulk-add summary');
    const recent = page.locator('.bulk-recent li:has-text("42")');
    await recent.waitFor({ timeout: 10_000 });
    // The row's text had the list's 28 px first grid column and wrapped a word per line.
    expect((await recent.locator('label').boundingBox())!.width).toBeGreaterThan(150);
    expect((await recent.locator('.bulk-recent-name').boundingBox())!.height).toBeLessThan(30);
    await page.click('.bulk-add summary');

    // Following from a wide view zooms in to street level.
    await zoomByButtons(page, -3);
    await page.click('li[data-uid="43"] button.follow');
    await expect(page.locator('li[data-uid="43"] button.follow').innerText()).resolves.toBe('Following');
    await expect.poll(() => mapZoom(page)).toBe(16);
    await expect(page.locator('li[data-uid="43"] button.follow').getAttribute('title')).resolves.toBe(
      'Stop following',
    );
    expect((await page.locator('li[data-uid="43"] .member-label').boundingBox())!.width).toBeGreaterThan(80);
    await expect(page.locator('li[data-uid="43"] .member-meta').getAttribute('title')).resolves.toContain(
      '43 · ',
    );

    // The history tab shares the map: a fix of the followed member must not pan it away from the period under
    // review. Back on the live tab, following catches up, at the live view's zoom.
    type LatLng = { lat: number; lng: number };
    type Probe = { centre(): LatLng | undefined; markerAt(uid: string): LatLng | undefined };
    const centre = async () =>
      (await page.evaluate(() =>
        (window as unknown as { lodestarLiveProbe: Probe }).lodestarLiveProbe.centre(),
      ))!;
    const markerAt = async (uid: string) =>
      (await page.evaluate(
        (u) => (window as unknown as { lodestarLiveProbe: Probe }).lodestarLiveProbe.markerAt(u),
        uid,
      ))!;
    const metresApart = (a: LatLng, b: LatLng) =>
      Math.hypot((a.lat - b.lat) * 111_000, (a.lng - b.lng) * 111_000 * Math.cos((a.lat * Math.PI) / 180));
    await page.click('nav button:has-text("History")');
    await page.click('label.preset:has-text("Last hour")');
    await page.click('button.load');
    // The period is fitted into the map, well away from street level.
    await expect.poll(() => mapZoom(page)).toBeLessThan(15);
    const markerBefore = await markerAt('43');
    await h.publish([{ uid: 43, lon: 116.46, lat: 39.95 }]);
    await expect.poll(async () => metresApart(await markerAt('43'), markerBefore)).toBeGreaterThan(1_000);
    const markerNow = await markerAt('43');
    expect(metresApart(await centre(), markerNow)).toBeGreaterThan(1_000);
    await page.click('nav button:has-text("Live")');
    // Back at the zoom it was followed at, on the member. Near, not on it: the timeline leaving resizes the map
    // after the pan (a few pixels at street level).
    await expect.poll(() => mapZoom(page)).toBe(16);
    await expect.poll(async () => metresApart(await centre(), markerNow)).toBeLessThan(50);
    await page.click('li[data-uid="43"] button.follow');
    await expect(page.locator('li[data-uid="43"] button.follow').innerText()).resolves.toBe('Follow');

    // The alerts popover closes on Escape and on a click elsewhere, not only on its own button.
    await page.click('.alerts-button');
    await page.locator('.alerts-panel').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.alerts-panel').waitFor({ state: 'detached' });
    await page.click('.alerts-button');
    await page.locator('.alerts-panel').waitFor();
    await page.click('.status-bar');
    await page.locator('.alerts-panel').waitFor({ state: 'detached' });
  });

  it('keeps the offline alerts in the station: an alert survives a page reload', async () => {
    // A page of its own, which reads the short thresholds as it opens (this file's page keeps its history view).
    await h.runtime.station.updateSettings({ staleAfterMs: 12_000, offlineAfterMs: 12_000 });
    const other = await h.browser.newPage();
    await other.goto(h.host.url);
    await other.locator('.status-bar[data-state="connected"]').waitFor({ timeout: 15_000 });
    await h.publish([{ uid: 43, lon: 116.4, lat: 39.91 }]);
    const row43 = other.locator('li[data-uid="43"]');
    await expect.poll(() => row43.getAttribute('data-state')).toBe('live');
    // Silent past the threshold while the station is connected: the member's own silence, a real alert.
    await expect.poll(() => row43.getAttribute('data-state'), { timeout: 20_000 }).toBe('offline');
    await expect.poll(async () => (await h.runtime.station.listAlerts()).map((a) => a.uid)).toContain('43');
    const before = await other.locator('.alerts-button').innerText();
    expect(before).not.toBe(en['alerts.button'].replace('{count}', '0'));

    await other.reload();
    await other.locator('.status-bar[data-state="connected"]').waitFor({ timeout: 15_000 });
    // The reloaded page never saw the member go offline; the station's list is what it shows.
    await expect.poll(() => other.locator('.alerts-button').innerText()).toBe(before);
    await other.click('.alerts-button');
    await expect.poll(() => other.locator('.alerts-panel li').count()).toBeGreaterThan(0);
    await other.close();
    await h.runtime.station.updateSettings({ staleAfterMs: 120_000, offlineAfterMs: 600_000 });
  });

  it('says so when the relay goes away, and history still answers from the local store', async () => {
    // Short thresholds, and a member seen live just before the relay goes: without the relay its fix only ages.
    await h.runtime.station.updateSettings({ staleAfterMs: 12_000, offlineAfterMs: 12_000 });
    await page.click('nav button:has-text("Live")');
    await h.publish([{ uid: 43, lon: 116.41, lat: 39.92 }]);
    const publishedAt = Date.now();
    const row43 = page.locator('li[data-uid="43"]');
    await expect.poll(() => row43.getAttribute('data-state')).toBe('live');
    const alertsBefore = await page.locator('.alerts-button').innerText();

    await h.relay.close({ drainMs: 0 });
    await page.locator('.status-bar[data-state="reconnecting"], .status-bar[data-state="offline"]').waitFor({
      timeout: 15_000,
    });
    await expect.poll(() => page.locator('.status-bar').innerText()).toMatch(/Reconnecting|Not connected/);
    // The header says the station is not connected instead of counting members offline…
    await page.locator('.state-counts[data-judgement="held"]').waitFor({ timeout: 10_000 });
    await expect(page.locator('.state-counts').innerText()).resolves.toContain(en['counts.notConnected']);
    // …and once the member's last fix is past the offline threshold (plus the tracker's 1 s tick), it is still
    // shown as last judged and no alert was raised: the silence is the station's, not the member's.
    await until(() => Date.now() > publishedAt + 12_000 + 2_500, {
      timeoutMs: 20_000,
      what: 'threshold passed',
    });
    await expect(row43.getAttribute('data-state')).resolves.toBe('live');
    await expect(page.locator('.alerts-button').innerText()).resolves.toBe(alertsBefore);
    await expect(page.locator('.state-counts').innerText()).resolves.toContain(en['counts.notConnected']);
    await page.locator('header.top').screenshot({ path: '/tmp/lodestar-renderer-header-relay-down.png' });
    await h.runtime.station.updateSettings({ staleAfterMs: 120_000, offlineAfterMs: 600_000 });
    await page.click('nav button:has-text("History")');
    await page.click('label.preset:has-text("Last hour")');
    await page.click('button.load');
    // The drive, the fix of the follow test, the one of the alert test, and the one sent just before the relay went.
    await expect.poll(() => page.locator('dd[data-stat="count"]').innerText()).toBe(String(historyFixes + 3));
    await page.screenshot({ path: '/tmp/lodestar-renderer-offline.png' });
  });

  it('settings: refuses a non-websocket relay URL, and takes a token without ever showing it again', async () => {
    await page.click('nav button:has-text("Settings")');
    await page.fill('input[name="relayUrl"]', 'http://relay.example');
    await page.click('form.settings button[type="submit"]');
    await expect.poll(() => page.locator('form.settings .form-error').innerText()).toContain('ws://');
    await page.fill('input[name="relayUrl"]', h.relay.wsUrl);

    const token = 'never-shown-token-0123456789';
    await page.fill('input[name="token"]', token);
    await expect(page.locator('input[name="token"]').getAttribute('type')).resolves.toBe('password');
    await page.click('form.settings button[type="submit"]');
    await expect.poll(() => page.locator('input[name="token"]').inputValue()).toBe('');
    expect((await h.runtime.station.getSettings()).hasToken).toBe(true);
    expect(await page.content()).not.toContain(token);
    expect(await keysOnScreen()).toEqual([]);
  });

  it('logged no page errors', () => {
    expect(h.pageErrors).toEqual([]);
  });

  // After the page-errors check: a host that went away makes the page log failed requests, as it should.
  it('says so when its browser host goes away, and recovers when the host is back', async () => {
    await h.restartHost(async () => {
      await page.locator('.status-bar[data-state="offline"]').waitFor({ timeout: 10_000 });
      await expect
        .poll(() => page.locator('.status-bar').innerText())
        .toContain(en['status.code.host_unreachable']);
      await expect(page.locator('.status-bar').innerText()).resolves.toMatch(/next try at/);
    });
    // Back: the page shows the station's own status again (the relay is still down from the test above).
    await expect
      .poll(() => page.locator('.status-bar').innerText(), { timeout: 15_000 })
      .not.toContain(en['status.code.host_unreachable']);
    await page.click('nav button:has-text("Live")');
    await page.locator('li[data-uid="43"]').waitFor();
  });
});
