/**
 * The one place coordinates change system: fixes stay in the crs they arrived in, and are converted to the
 * basemap's crs only when drawn (traccar-web's mapUtil pattern). Leaflet wants [lat, lon].
 */
import { CRS_VALUES, type Crs } from '../../../protocol/fix.js';
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
