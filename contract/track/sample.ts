/**
 * Where a member was at a time: for playback (interpolated between the fixes of a segment, so the marker glides)
 * and for a snapshot (the fix at or before the time and its age). In a gap nothing is invented: the member has
 * no position unless the last fix is recent enough, and then it is shown as that fix, with its age.
 */
import type { TrackColumns } from '../station-api.js';
import { segmentAt, type TrackSegment } from './segments.js';

/** A snapshot shows no position for a member whose latest fix is older than this. */
export const SNAPSHOT_MAX_AGE_MS = 5 * 60_000;

/** Index of the last fix at or before `t` (-1 when `t` is before the first fix). */
export function indexAtOrBefore(ts: Float64Array, count: number, t: number): number {
  let lo = 0;
  let hi = count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid]! <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export type MemberAt =
  | {
      kind: 'fix';
      lat: number;
      lon: number;
      /** Index into CRS_VALUES. */
      crs: number;
      /** The fix at or before the time, its time and how old it was then. */
      index: number;
      fixTs: number;
      ageMs: number;
    }
  | {
      kind: 'none';
      /** The latest fix before the time, if any (older than the limit). */
      fixTs?: number;
      ageMs?: number;
    };

/** The snapshot of one member at `t`: its latest fix then, unless older than `maxAgeMs`. */
export function snapshotAt(track: TrackColumns, t: number, maxAgeMs = SNAPSHOT_MAX_AGE_MS): MemberAt {
  const i = indexAtOrBefore(track.ts, track.count, t);
  if (i < 0) return { kind: 'none' };
  const fixTs = track.ts[i]!;
  const ageMs = t - fixTs;
  if (ageMs > maxAgeMs) return { kind: 'none', fixTs, ageMs };
  return { kind: 'fix', lat: track.lat[i]!, lon: track.lon[i]!, crs: track.crs[i]!, index: i, fixTs, ageMs };
}

/**
 * The playback position at `t`: inside a segment, interpolated between its fixes (never across a gap, nor between
 * two coordinate systems); in a gap or outside the track, the snapshot's answer.
 */
export function playbackAt(
  track: TrackColumns,
  segments: readonly TrackSegment[],
  t: number,
  maxAgeMs = SNAPSHOT_MAX_AGE_MS,
): MemberAt {
  const s = segmentAt(segments, t);
  if (s < 0) return snapshotAt(track, t, maxAgeMs);
  const i = indexAtOrBefore(track.ts, track.count, t);
  const segment = segments[s]!;
  const fixTs = track.ts[i]!;
  const at = { kind: 'fix' as const, index: i, fixTs, ageMs: t - fixTs, crs: track.crs[i]! };
  if (i + 1 >= segment.end || track.crs[i] !== track.crs[i + 1]) {
    return { ...at, lat: track.lat[i]!, lon: track.lon[i]! };
  }
  const t1 = track.ts[i + 1]!;
  const f = t1 > fixTs ? (t - fixTs) / (t1 - fixTs) : 0;
  return {
    ...at,
    lat: track.lat[i]! + (track.lat[i + 1]! - track.lat[i]!) * f,
    lon: track.lon[i]! + (track.lon[i + 1]! - track.lon[i]!) * f,
  };
}
