/**
 * Gaps are gaps: a track is split into segments wherever consecutive fixes are further apart in time than the
 * gap setting, imply an impossible speed, or straddle a hole the store recorded. A single stray fix (an impossible
 * jump out and straight back) is not a gap: it is marked as a jump, kept in the raw track and set aside by the
 * figures.
 */
import type { TrackColumns } from '../station-api.js';
import { accuracyOf, cosOfLat, planarStep } from './distance.js';
import type { TrackSettings } from './settings.js';

/** A span the store knows it has no fixes for, and why (recorded by the station, not inferred). */
export interface TrackHole {
  fromTs: number;
  toTs: number;
  /** Stable code of the reason, translated by the renderer (e.g. `relay_history_lost`). */
  reason: string;
}

/** Fixes `start` (inclusive) to `end` (exclusive) of the track. */
export interface TrackSegment {
  start: number;
  end: number;
  fromTs: number;
  toTs: number;
}

/** `start`/`end`: silence at an edge of the loaded period (no fix on one side), not between two fixes. */
export type GapCause = 'time' | 'speed' | 'hole' | 'start' | 'end';

export interface TrackGap {
  /** Time of the last fix before and the first fix after the gap (an edge gap: the period's edge instead). */
  fromTs: number;
  toTs: number;
  durationMs: number;
  cause: GapCause;
  /** The store's reason, when a recorded hole lies in the gap. */
  reason?: string;
  /** Index of the first fix after the gap (`count` for a gap at the end). */
  before: number;
}

export interface Segmentation {
  segments: TrackSegment[];
  gaps: TrackGap[];
  /** 1 where a fix is a stray jump (impossible speed in and out, plausible around it). */
  jumps: Uint8Array;
  jumpCount: number;
}

function impossible(track: TrackColumns, cosLat: number, a: number, b: number, maxSpeedMps: number): boolean {
  const seconds = Math.max(1, (track.ts[b]! - track.ts[a]!) / 1000);
  const slack = accuracyOf(track, a) + accuracyOf(track, b);
  return (planarStep(track, cosLat, a, b) - slack) / seconds > maxSpeedMps;
}

/** The first recorded hole overlapping the open interval (fromTs, toTs), if any; holes sorted by fromTs. */
function holeBetween(holes: readonly TrackHole[], fromTs: number, toTs: number): TrackHole | undefined {
  for (const hole of holes) {
    if (hole.fromTs >= toTs) return undefined;
    if (hole.toTs > fromTs) return hole;
  }
  return undefined;
}

export function splitSegments(
  track: TrackColumns,
  settings: Pick<TrackSettings, 'gapMs' | 'maxSpeedMps'>,
  holes: readonly TrackHole[] = [],
): Segmentation {
  const n = track.count;
  const jumps = new Uint8Array(n);
  const segments: TrackSegment[] = [];
  const gaps: TrackGap[] = [];
  if (n === 0) return { segments, gaps, jumps, jumpCount: 0 };
  const sortedHoles = [...holes].sort((a, b) => a.fromTs - b.fromTs);
  const ts = track.ts;
  const cosLat = cosOfLat(track.lat[0]!);
  let start = 0;
  let prev = 0;
  let jumpCount = 0;
  const close = (end: number): void => {
    segments.push({ start, end, fromTs: ts[start]!, toTs: ts[end - 1]! });
  };
  for (let i = 1; i < n; i++) {
    const dt = ts[i]! - ts[prev]!;
    const hole = sortedHoles.length > 0 ? holeBetween(sortedHoles, ts[prev]!, ts[i]!) : undefined;
    let cause: GapCause | undefined = hole ? 'hole' : dt > settings.gapMs ? 'time' : undefined;
    if (!cause && impossible(track, cosLat, prev, i, settings.maxSpeedMps)) {
      const next = i + 1;
      const stray =
        next < n &&
        ts[next]! - ts[prev]! <= settings.gapMs &&
        !impossible(track, cosLat, prev, next, settings.maxSpeedMps) &&
        impossible(track, cosLat, i, next, settings.maxSpeedMps);
      if (stray) {
        jumps[i] = 1;
        jumpCount++;
        continue;
      }
      cause = 'speed';
    }
    if (cause) {
      close(i);
      gaps.push({
        fromTs: ts[prev]!,
        toTs: ts[i]!,
        durationMs: ts[i]! - ts[prev]!,
        cause,
        before: i,
        ...(hole && { reason: hole.reason }),
      });
      start = i;
    }
    prev = i;
  }
  close(n);
  return { segments, gaps, jumps, jumpCount };
}

/** The loaded period, and the time of loading: silence past "now" has not happened yet. */
export interface TrackRange {
  from: number;
  to: number;
  now: number;
}

/**
 * Silence at the edges of the period that is longer than the gap setting: before the first fix, and after the last
 * fix up to the period's end or now, whichever is earlier. A member that went quiet before the end of the period
 * has missing data there even though no later fix closes the gap. An empty track has no edge gaps: it is reported
 * as empty, not as one long gap.
 */
export function edgeGaps(track: TrackColumns, gapMs: number, range: TrackRange): TrackGap[] {
  const n = track.count;
  if (n === 0) return [];
  const first = track.ts[0]!;
  const last = track.ts[n - 1]!;
  const end = Math.min(range.to, range.now);
  const out: TrackGap[] = [];
  if (first - range.from > gapMs)
    out.push({ fromTs: range.from, toTs: first, durationMs: first - range.from, cause: 'start', before: 0 });
  if (end - last > gapMs)
    out.push({ fromTs: last, toTs: end, durationMs: end - last, cause: 'end', before: n });
  return out;
}

/** Index of the segment holding fix time `t` (between its first and last fix), or -1 in a gap or outside. */
export function segmentAt(segments: readonly TrackSegment[], t: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid]!;
    if (t < s.fromTs) hi = mid - 1;
    else if (t > s.toTs) lo = mid + 1;
    else return mid;
  }
  return -1;
}
