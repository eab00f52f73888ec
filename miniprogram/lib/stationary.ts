/**
 * Whether a new fix adds nothing to the last one kept: the member has not moved further than the fixes'
 * accuracy, the accuracy did not get much better, and the last kept fix is recent. wx.onLocationChange fires
 * about once a second even when the phone lies on a desk; sending those costs battery and tells nobody anything.
 */
export interface Sample {
  latitude: number;
  longitude: number;
  /** Metres; 0 or missing when unknown. */
  accuracy?: number;
  /** ms since 1970. */
  ts: number;
}

export interface SkipOptions {
  /** Movements below this are noise even when the reported accuracy is better. */
  minMoveMeters: number;
  /** Keep one fix at least this often, so stations see the member is still there. */
  heartbeatMs: number;
}

export const DEFAULT_SKIP: SkipOptions = { minMoveMeters: 5, heartbeatMs: 60_000 };

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number): number => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine); good to centimetres at the distances compared here. */
export function distanceMeters(a: Sample, b: Sample): number {
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function addsNothing(
  lastKept: Sample | undefined,
  next: Sample,
  options: SkipOptions = DEFAULT_SKIP,
): boolean {
  if (!lastKept) return false;
  if (next.ts - lastKept.ts >= options.heartbeatMs) return false;
  const lastAccuracy = lastKept.accuracy && lastKept.accuracy > 0 ? lastKept.accuracy : 0;
  const nextAccuracy = next.accuracy && next.accuracy > 0 ? next.accuracy : 0;
  // A GPS fix after a cell-tower fix places the member better even if the centre barely moved.
  if (nextAccuracy > 0 && lastAccuracy > 0 && nextAccuracy < lastAccuracy / 2) return false;
  const radius = Math.max(options.minMoveMeters, lastAccuracy, nextAccuracy);
  return distanceMeters(lastKept, next) <= radius;
}
