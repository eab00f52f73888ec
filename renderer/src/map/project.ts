/**
 * The one place coordinates change system: fixes stay in the crs they arrived in, and are converted to the
 * basemap's crs only when drawn (traccar-web's mapUtil pattern). Leaflet wants [lat, lon].
 */
import { CRS_VALUES, type Crs } from '../../../protocol/fix-limits.js';
import { convertCrs } from '../../../protocol/crs.js';

export type LatLngTuple = [number, number];

export function toBasemap(lat: number, lon: number, crs: Crs, basemapCrs: Crs): LatLngTuple {
  if (crs === basemapCrs) return [lat, lon];
  const p = convertCrs(lon, lat, crs, basemapCrs);
  return [p.lat, p.lon];
}

/** The crs of a column row (TrackColumns stores indexes into CRS_VALUES). */
export function crsOfIndex(index: number | undefined): Crs {
  return CRS_VALUES[index ?? 0] ?? 'gcj02';
}

/**
 * Draw positions of fixes on one basemap, converted once per fix: a trail is redrawn every time its member moves,
 * and GCJ-02 → WGS-84 is an iterative inverse, so converting 500 trails of 300 points per second adds up. Fix
 * objects are never mutated, so a WeakMap keyed by the fix is a safe cache that goes away with the trail.
 */
export function createProjector(
  basemapCrs: Crs,
): (fix: { lat: number; lon: number; crs: Crs }) => LatLngTuple {
  const cache = new WeakMap<object, LatLngTuple>();
  return (fix) => {
    if (fix.crs === basemapCrs) return [fix.lat, fix.lon];
    let at = cache.get(fix);
    if (!at) {
      at = toBasemap(fix.lat, fix.lon, fix.crs, basemapCrs);
      cache.set(fix, at);
    }
    return at;
  };
}
