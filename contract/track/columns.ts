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

/** Fixes start..end-1 of each part, one after another, as fresh columns the caller may keep or change. */
export function concatColumns(
  uid: string,
  parts: readonly { columns: TrackColumns; start: number; end: number }[],
): TrackColumns {
  const total = parts.reduce((sum, p) => sum + p.end - p.start, 0);
  const out = emptyColumns(uid, total);
  let at = 0;
  for (const { columns: c, start, end } of parts) {
    out.ts.set(c.ts.subarray(start, end), at);
    out.lat.set(c.lat.subarray(start, end), at);
    out.lon.set(c.lon.subarray(start, end), at);
    out.speed.set(c.speed.subarray(start, end), at);
    out.accuracy.set(c.accuracy.subarray(start, end), at);
    out.heading.set(c.heading.subarray(start, end), at);
    out.crs.set(c.crs.subarray(start, end), at);
    out.arrival.set(c.arrival.subarray(start, end), at);
    at += end - start;
  }
  out.count = total;
  out.totalCount = total;
  return out;
}
