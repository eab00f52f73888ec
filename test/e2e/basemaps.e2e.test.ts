/**
 * Basemaps in real Chromium through the browser host: the first run's choice, tiles drawn from a local HTTP tile
 * server standing in for an online provider, a fix at a known GCJ-02 coordinate landing on the same street drawn
 * on a GCJ-02 and on a WGS-84 tile set (≤ 2 m, measured in screenshots), an MBTiles file generated here and
 * uploaded through the page, the banner when tiles stop arriving, and the tile cache serving a provider that went
 * away. Screenshots go to /tmp/lodestar-basemaps-*.png.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '../../protocol/crs.js';
import { en } from '../../renderer/src/i18n/en.js';
import { startTileServer, streetTile, tilesAround, writeMbtiles, type TileServer } from '../support/tiles.js';
import { CHROMIUM, startHarness, until, type Harness } from './harness.js';
import { drawnMarker } from './live-probe.js';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`basemap UI tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

/** A street crossing near Tiananmen, surveyed in WGS-84; the same crossing as GCJ-02 maps draw it. */
const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;
const WGS = { lon: 116.3912, lat: 39.9065 };
const GCJ = (() => {
  const p = wgs84ToGcj02(WGS.lon, WGS.lat);
  return { lon: round6(p.lon), lat: round6(p.lat) };
})();
const ZOOM = 18;
const METRES_PER_PIXEL = (40_075_016.686 * Math.cos((GCJ.lat * Math.PI) / 180)) / (256 * 2 ** ZOOM);
const MEMBER = '7';

let h: Harness;
let page: Page;
let gcjTiles: TileServer;
let wgsTiles: TileServer;
let temp: string;

beforeAll(async () => {
  if (!hasChromium) return;
  temp = mkdtempSync(join(tmpdir(), 'lodestar-basemaps-e2e-'));
  gcjTiles = await startTileServer((z, x, y) => streetTile(z, x, y, GCJ));
  wgsTiles = await startTileServer((z, x, y) => streetTile(z, x, y, WGS));
  h = await startHarness({ preWatch: [{ uid: MEMBER, label: '巡逻一组', color: '#0000ff' }] });
  page = h.page;
});

afterAll(async () => {
  await h?.close();
  await gcjTiles?.close();
  await wgsTiles?.close();
  if (temp) rmSync(temp, { recursive: true, force: true });
});

const keysOnScreen = async (): Promise<string[]> => {
  const text = await page.locator('body').innerText();
  return Object.keys(en).filter((key) => text.includes(key));
};

async function saveBasemapForm(): Promise<void> {
  await page.click('form.basemap-form button[type="submit"]');
  await page.locator('.basemap-settings .saved').waitFor();
}

/** Reload (the map fits the member at zoom 15), then zoom in around it to ZOOM and wait for its tiles. */
async function showMemberAtZoom(tilePattern: string): Promise<void> {
  await page.reload();
  await until(() => drawnMarker(page, MEMBER), { timeoutMs: 15_000, what: 'the member drawn on the map' });
  // Zoom by the map's own buttons to ZOOM from wherever the view is (the zoom of the tiles shown tells), then
  // centre the member from its list row so it is in the screenshot.
  for (let step = 0; step < 12; step++) {
    const zoom = await page.evaluate(() => {
      const counts = new Map<number, number>();
      for (const img of document.querySelectorAll<HTMLImageElement>('.basemap-layer-0 img')) {
        const z = Number(/\/(\d+)\/\d+\/\d+(?:\.png)?(?:\?|$)/.exec(img.src)?.[1]);
        if (Number.isFinite(z)) counts.set(z, (counts.get(z) ?? 0) + 1);
      }
      return [...counts.entries()].sort((x, y) => y[1] - x[1])[0]?.[0];
    });
    if (zoom === ZOOM) break;
    const next = zoom === undefined ? undefined : zoom > ZOOM ? zoom - 1 : zoom + 1;
    await page.click(
      zoom !== undefined && zoom > ZOOM ? '.leaflet-control-zoom-out' : '.leaflet-control-zoom-in',
    );
    await page.waitForFunction(() => !document.querySelector('.leaflet-zoom-anim'));
    // The next level's tiles are in before the zoom is read again (Leaflet keeps the old level until then).
    if (next !== undefined)
      await page
        .waitForFunction(
          (z) =>
            [...document.querySelectorAll<HTMLImageElement>('.basemap-layer-0 img.leaflet-tile-loaded')].some(
              (img) => img.src.includes(`/${z}/`),
            ),
          next,
          { timeout: 5_000 },
        )
        .catch(() => undefined); // read the zoom again either way: the loop converges on ZOOM
  }
  await page.click(`[data-uid="${MEMBER}"]`);
  await page.waitForFunction(
    ({ pattern, zoom }) => {
      const tiles = [...document.querySelectorAll<HTMLImageElement>('.basemap-layer-0 img')].filter((img) =>
        img.src.includes(`/${zoom}/`),
      );
      return (
        tiles.length >= 4 &&
        tiles.every((img) => img.classList.contains('leaflet-tile-loaded') && img.src.includes(pattern))
      );
    },
    { pattern: tilePattern, zoom: ZOOM },
    { timeout: 15_000 },
  );
}

interface Alignment {
  marker: { x: number; y: number };
  street: { x: number; y: number };
}

/**
 * Where the marker and the street are in a screenshot of the map: the centre of the blue marker's pixels, and
 * the middle of the red street lines 40 px beside it (the marker covers the crossing itself). Decoded by
 * Chromium's own image decoder in the page.
 */
/**
 * `alignmentOnce` until the screenshot shows both the marker and the street: on a busy machine the map may still
 * be drawing the member (or a tile) when the first screenshot is taken.
 */
async function measure(name: string): Promise<Alignment> {
  let found: Alignment | undefined;
  await until(
    async () => {
      const a = await alignmentOnce(name);
      if (Number.isFinite(a.marker.x + a.marker.y + a.street.x + a.street.y)) found = a;
      return found !== undefined;
    },
    { timeoutMs: 10_000, what: `the marker and the street in the ${name} screenshot` },
  );
  return found!;
}

async function alignmentOnce(name: string): Promise<Alignment> {
  const png = await page.locator('.map').screenshot({ path: `/tmp/lodestar-basemaps-${name}.png` });
  return page.evaluate(async (base64) => {
    // The page's CSP allows data: images (img-src), not data: fetches.
    const bitmap = new Image();
    bitmap.src = `data:image/png;base64,${base64}`;
    await bitmap.decode();
    const canvas = new OffscreenCanvas(bitmap.naturalWidth, bitmap.naturalHeight);
    const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    ctx.drawImage(bitmap, 0, 0);
    const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const px = (x: number, y: number) => data.subarray((y * width + x) * 4, (y * width + x) * 4 + 3);
    let sx = 0;
    let sy = 0;
    let n = 0;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const [r, g, b] = px(x, y) as unknown as [number, number, number];
        if (b > 180 && r < 80 && g < 80) {
          sx += x;
          sy += y;
          n++;
        }
      }
    const marker = { x: sx / n, y: sy / n };
    const red = (x: number, y: number) => {
      const [r, g, b] = px(x, y) as unknown as [number, number, number];
      return r > 150 && g < 90 && b < 90;
    };
    const middle = (hits: number[]) => (hits.length ? hits.reduce((a, b) => a + b, 0) / hits.length : NaN);
    const row = Math.round(marker.y - 40);
    const col = Math.round(marker.x - 40);
    const xs: number[] = [];
    for (let x = Math.round(marker.x - 60); x <= marker.x + 60; x++) if (red(x, row)) xs.push(x);
    const ys: number[] = [];
    for (let y = Math.round(marker.y - 60); y <= marker.y + 60; y++) if (red(col, y)) ys.push(y);
    return { marker, street: { x: middle(xs) + 0.5, y: middle(ys) + 0.5 } };
  }, png.toString('base64'));
}

function offsetMetres(a: Alignment): number {
  const metres = Math.hypot(a.marker.x - a.street.x, a.marker.y - a.street.y) * METRES_PER_PIXEL;
  console.info(
    `marker ${JSON.stringify(a.marker)} street ${JSON.stringify(a.street)}: ${metres.toFixed(2)} m`,
  );
  return metres;
}

describe.skipIf(!hasChromium)('basemaps in Chromium', () => {
  it('asks a fresh station to pick a basemap, offering Gaode roads; picking one sets its CRS', async () => {
    await page.locator('.basemap-picker').waitFor({ timeout: 15_000 });
    await expect(page.locator('.basemap-picker h2').innerText()).resolves.toBe('请选择底图');
    expect(await page.locator('input[name="first-basemap"][value="gaode-roads"]').isChecked()).toBe(true);
    expect(await keysOnScreen()).toEqual([]);
    await page.screenshot({ path: '/tmp/lodestar-basemaps-first-run.png' });
    // Tianditu needs the dispatcher's key: asked for, checked before it is sent.
    await page.check('input[name="first-basemap"][value="tianditu-vector"]');
    await page.click('.basemap-picker button.primary');
    await expect(page.locator('.basemap-picker .form-error').innerText()).resolves.toContain('天地图密钥');
    await page.check('input[name="first-basemap"][value="gaode-roads"]');
    await page.click('.basemap-picker button.primary');
    await page.locator('.basemap-picker').waitFor({ state: 'detached' });
    const settings = await h.runtime.station.getSettings();
    expect(settings).toMatchObject({ basemap: 'gaode-roads', basemapCrs: 'gcj02' });
    await expect(page.locator('.leaflet-control-attribution').innerText()).resolves.toContain('高德地图');
    await expect(page.locator('.leaflet-control-scale-line').innerText()).resolves.toMatch(/\d+ (m|km)/);
  });

  it('draws a fix at a GCJ-02 coordinate on the street of a GCJ-02 tile set (≤ 2 m)', async () => {
    await until(() => h.relay.stats().watchedMembers >= 1);
    await h.publish([{ uid: Number(MEMBER), lon: GCJ.lon, lat: GCJ.lat }]);
    await page.click('nav button:has-text("设置")');
    await page.selectOption('select[name="basemap"]', 'custom');
    await page.fill('input[name="tileUrl"]', `${gcjTiles.url}/{z}/{x}/{y}.png`);
    await page.selectOption('select[name="basemapCrs"]', 'gcj02');
    await page.selectOption('select[name="tileCache"]', 'off');
    await saveBasemapForm();
    await page.screenshot({ path: '/tmp/lodestar-basemaps-settings-zh.png' });
    await showMemberAtZoom(gcjTiles.url);
    const aligned = await measure('gcj02');
    expect(offsetMetres(aligned)).toBeLessThanOrEqual(2);
  }, 90_000);

  it('draws the same fix on the same street of a WGS-84 tile set (converted at the map edge, ≤ 2 m)', async () => {
    await page.click('nav button:has-text("设置")');
    await page.fill('input[name="tileUrl"]', `${wgsTiles.url}/{z}/{x}/{y}.png`);
    await page.selectOption('select[name="basemapCrs"]', 'wgs84');
    await saveBasemapForm();
    expect((await h.runtime.station.getSettings()).basemapCrs).toBe('wgs84');
    await showMemberAtZoom(wgsTiles.url);
    const aligned = await measure('wgs84');
    expect(offsetMetres(aligned)).toBeLessThanOrEqual(2);
    // The fix itself stays as it arrived.
    expect((await h.runtime.station.latest([MEMBER]))[0]).toMatchObject({ crs: 'gcj02', lon: GCJ.lon });
  }, 90_000);

  it('says which tile host fails since when, keeps drawing the member, and recovers quietly', async () => {
    wgsTiles.setUp(false);
    try {
      // Tiles never seen are needed (the page reuses images it already has): drag the map far to the east.
      const box = (await page.locator('.map').boundingBox())!;
      for (let i = 0; i < 3; i++) {
        await page.mouse.move(box.x + box.width - 20, box.y + box.height / 2);
        await page.mouse.down();
        await page.mouse.move(box.x + 20, box.y + box.height / 2, { steps: 8 });
        await page.mouse.up();
      }
      const banner = page.locator('.tile-health p');
      await banner.waitFor({ timeout: 15_000 });
      const text = await banner.innerText();
      expect(text).toContain(new URL(wgsTiles.url).host);
      expect(text).toMatch(/\d{2}:\d{2}:\d{2}/);
      expect(text).toContain('成员和轨迹仍照常绘制');
      // Back to the member with the list's fit-all: it is drawn while its tiles fail.
      await page.click('button.fit-all');
      await until(() => drawnMarker(page, MEMBER), { timeoutMs: 10_000, what: 'the member drawn again' });
      await page.screenshot({ path: '/tmp/lodestar-basemaps-unreachable.png' });
    } finally {
      wgsTiles.setUp(true);
    }
    // The first quiet retry comes 5 s after the outage was noticed.
    await page.locator('.tile-health').waitFor({ state: 'detached', timeout: 20_000 });
  });

  it('imports an MBTiles file through the page, switches to it, and draws the member on its street', async () => {
    const file = join(temp, 'tiananmen.mbtiles');
    writeMbtiles(
      file,
      { name: '天安门离线图', format: 'png', crs: 'wgs84', minzoom: '16', maxzoom: '18' },
      tilesAround(WGS.lon, WGS.lat, 16, ZOOM, 3).map((t) => ({ ...t, data: streetTile(t.z, t.x, t.y, WGS) })),
    );
    await page.click('nav button:has-text("设置")');
    await page.setInputFiles('input[name="mbtiles"]', file);
    await page.click('button.import');
    const row = page.locator('ul.offline-maps li');
    await row.waitFor({ timeout: 15_000 });
    await expect(row.innerText()).resolves.toContain('天安门离线图');
    await expect(page.locator('.basemap-settings .saved').innerText()).resolves.toContain('已导入');
    await page.click('ul.offline-maps li button:has-text("使用")');
    await expect.poll(async () => (await h.runtime.station.getSettings()).basemap).toMatch(/^offline:/);
    await page.screenshot({ path: '/tmp/lodestar-basemaps-offline-settings.png' });
    await showMemberAtZoom('/api/tiles/offline/');
    expect(offsetMetres(await measure('offline'))).toBeLessThanOrEqual(2);
    await expect(page.locator('.leaflet-control-attribution').innerText()).resolves.toContain('天安门离线图');
  }, 90_000);

  it('keeps tiles seen online in the cache and draws them after the provider went away', async () => {
    await page.click('nav button:has-text("设置")');
    await page.selectOption('select[name="basemap"]', 'custom');
    await page.fill('input[name="tileUrl"]', `${wgsTiles.url}/{z}/{x}/{y}.png`);
    await page.selectOption('select[name="basemapCrs"]', 'wgs84');
    await page.selectOption('select[name="tileCache"]', 'on');
    await saveBasemapForm();
    await showMemberAtZoom('/api/tiles/cache/custom/');
    expect(h.runtime.station.basemaps.cache.usage().tiles).toBeGreaterThanOrEqual(4);
    wgsTiles.setUp(false);
    const asked = wgsTiles.requests.length;
    try {
      await showMemberAtZoom('/api/tiles/cache/custom/');
      expect(offsetMetres(await measure('cached-offline'))).toBeLessThanOrEqual(2);
      expect(await page.locator('.tile-health').count()).toBe(0);
      // The street tiles seen before came from the cache without asking the provider (tiles of the zooms passed
      // through on the way may not have been seen, and are asked for).
      expect(wgsTiles.requests.slice(asked).filter((path) => path.startsWith(`/${ZOOM}/`))).toEqual([]);
    } finally {
      wgsTiles.setUp(true);
    }
  }, 90_000);

  it('shows every basemap text in English too', async () => {
    await h.runtime.station.updateSettings({ locale: 'en' });
    await page.reload();
    await page.click('nav button:has-text("Settings")');
    await page.locator('.basemap-settings h2:has-text("Basemap")').waitFor();
    expect(await keysOnScreen()).toEqual([]);
    await page.screenshot({ path: '/tmp/lodestar-basemaps-settings-en.png' });
    await h.runtime.station.updateSettings({ locale: 'zh-CN' });
  });

  it('logged no page errors', () => {
    // Tiles that failed on purpose are logged by Chromium as failed loads; anything else is a bug.
    expect(h.pageErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
