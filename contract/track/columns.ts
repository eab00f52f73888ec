/** Track columns with room for `capacity` fixes and none in them yet: the store fills them, so do made-up tracks. */
import type { TrackColumns } from '../station-api.js';

export function emptyColumns(uid: string, capacity: number): TrackColumns {
  return {
    uid,
    count: 0,
    ts: new Float64Array(capacity),
    lat: new Float64Array(capacity),
    lon: new Float64Array(capacity),
    speed: new Float32Array(capacity),
    accuracy: new Float32Array(capacity),
    heading: new Float32Array(capacity),
    crs: new Uint8Array(capacity),
    arrival: new Uint8Array(capacity),
    downsampled: false,
    totalCount: 0,
  };
}
