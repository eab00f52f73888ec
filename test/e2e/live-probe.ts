/**
 * Reading the live map in the page: markers are pixels on one canvas, so tests ask the renderer's read-only probe
 * where a member is drawn and then check the canvas pixel there, so "drawn" means painted, not just booked.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export interface DrawnMarker {
  x: number;
  y: number;
  state: string;
  /** The canvas pixel at the marker's centre, as #rrggbb, and its alpha (0-255). */
  color: string;
  alpha: number;
}

export function drawnMarker(page: Page, uid: string): Promise<DrawnMarker | undefined> {
  return page.evaluate((u) => {
    type Probe = { drawnAt(uid: string): { x: number; y: number; state: string } | undefined };
    const probe = (window as unknown as { lodestarLiveProbe?: Probe }).lodestarLiveProbe;
    const at = probe?.drawnAt(u);
    const canvas = document.querySelector<HTMLCanvasElement>('canvas.live-markers');
    const map = document.querySelector('.map');
    if (!at || !canvas || !map) return undefined;
    const box = canvas.getBoundingClientRect();
    const mapBox = map.getBoundingClientRect();
    const scale = canvas.width / box.width;
    const x = Math.round((mapBox.left + at.x - box.left) * scale);
    const y = Math.round((mapBox.top + at.y - box.top) * scale);
    const [r = 0, g = 0, b = 0, a = 0] = canvas.getContext('2d')?.getImageData(x, y, 1, 1).data ?? [];
    const hex = (n: number) => n.toString(16).padStart(2, '0');
    return { x: at.x, y: at.y, state: at.state, color: `#${hex(r)}${hex(g)}${hex(b)}`, alpha: a };
  }, uid);
}

export function drawnCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      (
        window as unknown as { lodestarLiveProbe?: { drawnCount(): number } }
      ).lodestarLiveProbe?.drawnCount() ?? 0,
  );
}

/** Colours as drawn carry the marker's alpha blended over transparent: compare channels with a tolerance. */
export function closeColor(a: string, b: string, tolerance = 24): boolean {
  const channels = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const [x, y] = [channels(a), channels(b)];
  return x.every((v, i) => Math.abs(v - (y[i] as number)) <= tolerance);
}

/** The map's zoom, from the renderer's probe. */
export function mapZoom(page: Page): Promise<number> {
  return page.evaluate(() =>
    (window as unknown as { lodestarLiveProbe: { zoom(): number } }).lodestarLiveProbe.zoom(),
  );
}

/** Zoom by `steps` levels (negative: out) with the map's own buttons, waiting for each level to be reached. */
export async function zoomByButtons(page: Page, steps: number): Promise<void> {
  const from = await mapZoom(page);
  const button = steps > 0 ? '.leaflet-control-zoom-in' : '.leaflet-control-zoom-out';
  // One step at a time: Leaflet ignores a zoom asked for while it animates the last one.
  for (let i = 1; i <= Math.abs(steps); i++) {
    await page.click(button);
    await expect.poll(() => mapZoom(page)).toBe(from + Math.sign(steps) * i);
    await page.locator('.leaflet-map-pane.leaflet-zoom-anim').waitFor({ state: 'detached' });
  }
}

/** Until the page has painted two more frames (a resize laid out and drawn, before a screenshot). */
export function afterFrames(page: Page): Promise<void> {
  return page.evaluate(
    () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
}

/** Until a clock on the page shows another time than it does now (playback went on). */
export async function clockMoved(clock: Locator): Promise<void> {
  const shown = await clock.innerText();
  await expect.poll(() => clock.innerText()).not.toBe(shown);
}
