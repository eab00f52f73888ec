/**
 * Track statistics as a pure function of the columns. Distances are great-circle between consecutive fixes
 * after converting each to WGS-84 (a track may mix coordinate systems if a device changed; the offsets between
 * systems are hundreds of metres and would count as movement).
 */
import { CRS_VALUES } from '../../../protocol/fix.js';
import { toWgs84 } from '../../../protocol/crs.js';
import type { TrackColumns, TrackStats } from '../../../contract/station-api.js';
import { haversineM } from '../../../protocol/geodesy.js';

/** Slower than this between two fixes is standing still (GPS jitter of a parked phone stays well below it). */
export const MOVING_THRESHOLD_MPS = 0.5;
/** Segments longer than this in time are gaps (phone off, no signal), not movement. */
export const MAX_SEGMENT_GAP_MS = 10 * 60 * 1000;

export function trackStats(columns: TrackColumns): TrackStats {
  const n = columns.count;
  const stats: TrackStats = {
    uid: columns.uid,
    count: n,
    distanceM: 0,
    durationMs: 0,
    movingMs: 0,
    maxSpeedMps: 0,
  };
  if (n === 0) return stats;
  stats.firstTs = columns.ts[0]!;
  stats.lastTs = columns.ts[n - 1]!;
  stats.durationMs = stats.lastTs - stats.firstTs;

  let reportedMax = -1;
  let derivedMax = 0;
  let prev = toWgs84(columns.lon[0]!, columns.lat[0]!, CRS_VALUES[columns.crs[0]!] ?? 'gcj02');
  for (let i = 0; i < n; i++) {
    const reported = columns.speed[i]!;
    if (reported >= 0 && reported > reportedMax) reportedMax = reported; // NaN compares false
    if (i === 0) continue;
    const here = toWgs84(columns.lon[i]!, columns.lat[i]!, CRS_VALUES[columns.crs[i]!] ?? 'gcj02');
    const metres = haversineM(prev.lat, prev.lon, here.lat, here.lon);
    const dt = columns.ts[i]! - columns.ts[i - 1]!;
    stats.distanceM += metres;
    if (dt > 0) {
      const mps = metres / (dt / 1000);
      if (mps > derivedMax) derivedMax = mps;
      if (mps >= MOVING_THRESHOLD_MPS && dt <= MAX_SEGMENT_GAP_MS) stats.movingMs += dt;
    }
    prev = here;
  }
  // The device's own speed (Doppler) is far less noisy than positions differenced; use it when it has any.
  stats.maxSpeedMps = reportedMax >= 0 ? reportedMax : derivedMax;
  return stats;
}
