/**
 * Loading a member's overview track for a range. One `queryRange` call for a long range (weeks at 1 Hz) gives
 * no sign of life, so the range is asked for in chunks, each downsampled to its share of `maxPoints`, and
 * progress is reported per chunk. The parts are joined into one TrackColumns.
 */
import type { RangeQuery, StationApi, TrackColumns } from '../../../contract/station-api.js';
import type { TimeRange } from './time-presets.js';

/** A day at 1 Hz is 86,400 fixes: a six-hour chunk comes back well under a second. */
export const MIN_CHUNK_MS = 6 * 3_600_000;
export const MAX_CHUNKS = 28;
export const OVERVIEW_MAX_POINTS = 20_000;

/** Consecutive inclusive ranges covering [from, to] (ms integers, so a chunk ends 1 ms before the next). */
export function splitRange(
  from: number,
  to: number,
  minChunkMs = MIN_CHUNK_MS,
  maxChunks = MAX_CHUNKS,
): TimeRange[] {
  if (to < from) return [];
  const span = to - from + 1;
  const size = Math.max(minChunkMs, Math.ceil(span / maxChunks));
  const out: TimeRange[] = [];
  for (let start = from; start <= to; start += size)
    out.push({ from: start, to: Math.min(to, start + size - 1) });
  return out;
}

/** Each chunk's share of the overall point budget, at least 2 so a chunk keeps its ends. */
export function chunkMaxPoints(chunk: TimeRange, whole: TimeRange, maxPoints: number): number {
  const share = (chunk.to - chunk.from + 1) / (whole.to - whole.from + 1);
  return Math.max(2, Math.ceil(maxPoints * share));
}

export function concatColumns(uid: string, parts: readonly TrackColumns[]): TrackColumns {
  const count = parts.reduce((n, p) => n + p.count, 0);
  const out: TrackColumns = {
    uid,
    count,
    ts: new Float64Array(count),
    lat: new Float64Array(count),
    lon: new Float64Array(count),
    speed: new Float32Array(count),
    accuracy: new Float32Array(count),
    heading: new Float32Array(count),
    crs: new Uint8Array(count),
    downsampled: parts.some((p) => p.downsampled),
    totalCount: parts.reduce((n, p) => n + p.totalCount, 0),
  };
  let at = 0;
  for (const p of parts) {
    const n = p.count;
    out.ts.set(p.ts.subarray(0, n), at);
    out.lat.set(p.lat.subarray(0, n), at);
    out.lon.set(p.lon.subarray(0, n), at);
    out.speed.set(p.speed.subarray(0, n), at);
    out.accuracy.set(p.accuracy.subarray(0, n), at);
    out.heading.set(p.heading.subarray(0, n), at);
    out.crs.set(p.crs.subarray(0, n), at);
    at += n;
  }
  return out;
}

export async function loadTrack(
  api: Pick<StationApi, 'queryRange'>,
  query: Required<RangeQuery>,
  onProgress: (done: number, total: number) => void,
  signal?: { cancelled: boolean },
): Promise<TrackColumns | undefined> {
  const whole = { from: query.from, to: query.to };
  const chunks = splitRange(query.from, query.to);
  const parts: TrackColumns[] = [];
  onProgress(0, chunks.length);
  for (const [i, chunk] of chunks.entries()) {
    if (signal?.cancelled) return undefined;
    parts.push(
      await api.queryRange({
        uid: query.uid,
        ...chunk,
        maxPoints: chunkMaxPoints(chunk, whole, query.maxPoints),
      }),
    );
    onProgress(i + 1, chunks.length);
  }
  return concatColumns(query.uid, parts);
}
