/**
 * Holes the store recorded (spans it could not recover, with their reason), read through the station API's
 * `holes`, in the shape the track analysis takes. A station object without `holes` (a test double) answers none.
 */
import type { StationApi } from '../../../contract/station-api.js';
import type { TrackHole } from '../../../contract/track/segments.js';

export async function readHoles(
  station: Pick<StationApi, 'queryRange'> & Partial<Pick<StationApi, 'holes'>>,
  uid: string,
  range: { from: number; to: number },
): Promise<TrackHole[]> {
  if (!station.holes) return [];
  const holes = await station.holes({ uid, from: range.from, to: range.to });
  return holes.map((h) => ({ fromTs: h.from, toTs: h.to, reason: h.reason }));
}
