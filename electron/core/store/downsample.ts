/**
 * Largest-Triangle-Three-Buckets over a track: keeps the first and last fix and, from each bucket between,
 * the fix that forms the largest triangle with the previous kept fix and the next bucket's average. It keeps
 * corners and spikes that uniform sampling would cut, which is what a dispatcher looks for in a long track.
 * Works on (lon, lat) as planar coordinates: within one track the distortion does not change which point wins.
 */
import type { TrackColumns } from '../../../contract/station-api.js';

/** Indexes (ascending) of the points to keep out of `count`, at most `maxPoints` of them. */
export function lttbIndexes(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  count: number,
  maxPoints: number,
): Uint32Array {
  if (maxPoints >= count || count <= 2) return Uint32Array.from({ length: count }, (_, i) => i);
  if (maxPoints < 2) throw new RangeError('maxPoints must be at least 2');
  const out = new Uint32Array(maxPoints);
  const bucketSize = (count - 2) / (maxPoints - 2);
  let kept = 0;
  out[kept++] = 0;
  let a = 0;
  for (let bucket = 0; bucket < maxPoints - 2; bucket++) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, count);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += x[j]!;
      avgY += y[j]!;
    }
    const n = nextEnd - nextStart;
    avgX /= n;
    avgY /= n;
    const ax = x[a]!;
    const ay = y[a]!;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * (y[j]! - ay) - (ax - x[j]!) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out[kept++] = best;
    a = best;
  }
  out[kept++] = count - 1;
  return out;
}

/** A new set of columns holding only the given rows. */
export function pickRows(columns: TrackColumns, indexes: Uint32Array): TrackColumns {
  const n = indexes.length;
  const pick = <T extends Float64Array | Float32Array | Uint8Array>(from: T, make: (n: number) => T): T => {
    const to = make(n);
    for (let i = 0; i < n; i++) to[i] = from[indexes[i]!]!;
    return to;
  };
  return {
    uid: columns.uid,
    count: n,
    ts: pick(columns.ts, (k) => new Float64Array(k)),
    lat: pick(columns.lat, (k) => new Float64Array(k)),
    lon: pick(columns.lon, (k) => new Float64Array(k)),
    speed: pick(columns.speed, (k) => new Float32Array(k)),
    accuracy: pick(columns.accuracy, (k) => new Float32Array(k)),
    heading: pick(columns.heading, (k) => new Float32Array(k)),
    crs: pick(columns.crs, (k) => new Uint8Array(k)),
    arrival: pick(columns.arrival, (k) => new Uint8Array(k)),
    downsampled: n < columns.count,
    totalCount: columns.totalCount,
  };
}

export function downsample(columns: TrackColumns, maxPoints: number): TrackColumns {
  if (columns.count <= maxPoints) return columns;
  return pickRows(columns, lttbIndexes(columns.lon, columns.lat, columns.count, maxPoints));
}
