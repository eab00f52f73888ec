/**
 * SEAM: holes the store recorded (spans it could not recover, with their reason). The station-core work adds a
 * holes table and a station API method to read it; until that is on main this answers none, and every caller
 * (segments, the gap list, the health strip, exports) already takes holes and shows them with their reason.
 * Replace the body with the real call when the method lands.
 */
import type { StationApi } from '../../../contract/station-api.js';
import type { TrackHole } from '../../../contract/track/segments.js';

export async function readHoles(
  _station: Pick<StationApi, 'queryRange'>,
  _uid: string,
  _range: { from: number; to: number },
): Promise<TrackHole[]> {
  return [];
}
