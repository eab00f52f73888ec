/**
 * Distances between fixes of one track. Fixes keep the system they arrived in; between two fixes of the same
 * system the offset to WGS-84 is the same to well under a metre over a step, so great-circle distance on the stored
 * values is the distance. Only a step between systems (a device that changed) is converted first.
 */
import { CRS_VALUES } from '../../protocol/fix-limits.js';
import { toWgs84 } from '../../protocol/crs.js';
import { haversineM } from '../../protocol/geodesy.js';
import type { TrackColumns } from '../station-api.js';

export function stepM(track: TrackColumns, a: number, b: number): number {
  const latA = track.lat[a]!;
  const lonA = track.lon[a]!;
  const latB = track.lat[b]!;
  const lonB = track.lon[b]!;
  if (track.crs[a] === track.crs[b]) return haversineM(latA, lonA, latB, lonB);
  const p = toWgs84(lonA, latA, CRS_VALUES[track.crs[a]!] ?? 'gcj02');
  const q = toWgs84(lonB, latB, CRS_VALUES[track.crs[b]!] ?? 'gcj02');
  return haversineM(p.lat, p.lon, q.lat, q.lon);
}

/** Metres per degree of latitude (and of longitude at the equator) on the mean Earth sphere. */
export const M_PER_DEG = 111_195;

/**
 * Metres between two nearby points on a plane tangent at the first (equirectangular): within 0.1 % of the
 * great circle over a few kilometres and several times cheaper, which matters in the stop search's inner loop.
 */
export function nearM(lat0: number, lon0: number, lat1: number, lon1: number): number {
  const dx = (lon1 - lon0) * Math.cos(lat0 * (Math.PI / 180)) * M_PER_DEG;
  const dy = (lat1 - lat0) * M_PER_DEG;
  return Math.sqrt(dx * dx + dy * dy);
}

/**
 * `stepM` on a plane tangent at the track's first fix, with the cosine worked out once: for the per-fix loops of
 * segmentation (within a per cent of the great circle over the few degrees of latitude a day's track spans).
 */
export function planarStep(track: TrackColumns, cosLat: number, a: number, b: number): number {
  if (track.crs[a] !== track.crs[b]) return stepM(track, a, b);
  const dx = (track.lon[b]! - track.lon[a]!) * cosLat * M_PER_DEG;
  const dy = (track.lat[b]! - track.lat[a]!) * M_PER_DEG;
  return Math.sqrt(dx * dx + dy * dy);
}

export const cosOfLat = (lat: number): number => Math.cos(lat * (Math.PI / 180));

/** A fix's reported accuracy in metres, 0 when it gave none. */
export function accuracyOf(track: TrackColumns, i: number): number {
  const a = track.accuracy[i]!;
  return Number.isFinite(a) && a > 0 ? a : 0;
}
