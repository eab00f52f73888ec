/**
 * Drawing long tracks fast: each fix is projected once to Web Mercator world coordinates (0..1, as Leaflet's
 * EPSG:3857 does), after conversion to the basemap's system; a redraw only scales and shifts them, and drops the
 * points that would land within a pixel of the last one drawn (radial simplification per zoom level), so a day
 * at 1 Hz is a few thousand canvas line segments at city zoom.
 */
import type { Crs } from '../../../protocol/fix-limits.js';
import type { TrackColumns } from '../../../contract/station-api.js';
import { crsOfIndex, toBasemap } from './project.js';

export interface WorldTrack {
  /** Web Mercator x and y in [0, 1] per fix. */
  x: Float64Array;
  y: Float64Array;
}

const MAX_LAT = 85.0511287798;

export function toWorld(lat: number, lon: number): [number, number] {
  const clamped = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
  const s = Math.sin((clamped * Math.PI) / 180);
  return [(lon + 180) / 360, 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)];
}

/** What projecting needs: the columns, or the outline of a track (contract/track/overview.ts). */
export type PointColumns = Pick<TrackColumns, 'count' | 'lat' | 'lon' | 'crs'>;

export function worldTrack(track: PointColumns, basemapCrs: Crs): WorldTrack {
  const x = new Float64Array(track.count);
  const y = new Float64Array(track.count);
  for (let i = 0; i < track.count; i++) {
    const crs = crsOfIndex(track.crs[i]);
    let lat = track.lat[i]!;
    let lon = track.lon[i]!;
    // Fixes already in the basemap's system (nearly all) build no arrays: this runs once per fix of a day.
    if (crs !== basemapCrs) [lat, lon] = toBasemap(lat, lon, crs, basemapCrs);
    const s = Math.sin((Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180);
    x[i] = (lon + 180) / 360;
    y[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }
  return { x, y };
}

const projected = new WeakMap<PointColumns, { crs: Crs; world: WorldTrack }>();

/**
 * `worldTrack`, kept per loaded track: history projects each member as its reply arrives (while the others are
 * still on their way), and the map layer then finds it done.
 */
export function worldTrackOf(track: PointColumns, basemapCrs: Crs): WorldTrack {
  const known = projected.get(track);
  if (known?.crs === basemapCrs) return known.world;
  const world = worldTrack(track, basemapCrs);
  projected.set(track, { crs: basemapCrs, world });
  return world;
}

/** World to canvas pixels: `scale` is 256 · 2^zoom, `originX/Y` the world pixel at the canvas's top left. */
export interface PixelView {
  scale: number;
  originX: number;
  originY: number;
}

/**
 * The indexes in [start, end) worth drawing at this view: the first, every point at least `minPx` from the last
 * kept one, and the last. Written into `out` (reused between draws); returns how many.
 */
export function simplifyRange(
  world: WorldTrack,
  start: number,
  end: number,
  view: PixelView,
  minPx: number,
  out: Uint32Array,
): number {
  if (end <= start) return 0;
  let n = 0;
  out[n++] = start;
  let lastX = world.x[start]! * view.scale;
  let lastY = world.y[start]! * view.scale;
  const min2 = minPx * minPx;
  for (let i = start + 1; i < end - 1; i++) {
    const px = world.x[i]! * view.scale;
    const py = world.y[i]! * view.scale;
    const dx = px - lastX;
    const dy = py - lastY;
    if (dx * dx + dy * dy >= min2) {
      out[n++] = i;
      lastX = px;
      lastY = py;
    }
  }
  if (end - 1 > start) out[n++] = end - 1;
  return n;
}
