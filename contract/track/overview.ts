/**
 * What the first draw of a history period needs, computed where the fixes are (the station): the analysis of
 * every fix (segments, gaps, stops, figures), the arrival runs, fixes per time bucket for the data-health strip and
 * the track simplified for drawing. A member's day is ~3.2 MB of columns and ~100 kB of this; the page draws from
 * it and fetches the columns (playback, snapshot, speed chart, re-cut with other settings) after the first draw.
 *
 * No DOM, no Node: the station builds it, the tests build it from the same columns in the page's way.
 */
import type { TrackColumns } from '../station-api.js';
import { analyzeTrack, type TrackAnalysis } from './analyze.js';
import { summarizeArrival, type ArrivalSummary } from './arrival.js';
import { cosOfLat } from './distance.js';
import type { TrackHole, TrackRange, TrackSegment } from './segments.js';
import type { TrackSettings } from './settings.js';

/** The analysis without its per-fix masks (they index the columns, which the overview does not carry). */
export type TrackSummary = Omit<TrackAnalysis, 'jumps' | 'setAside'>;

/**
 * Fixes per bucket of whole minutes: bucket k covers [from + k·bucketMs, from + (k+1)·bucketMs), `from` a
 * multiple of `bucketMs`, so any coarser grid of multiples of `bucketMs` sums these exactly.
 */
export interface FixCounts {
  from: number;
  bucketMs: number;
  counts: Uint32Array;
}

/**
 * The track simplified for drawing: a subset of the fixes (`index` into the columns), each segment of the analysis
 * simplified on its own and keeping its first and last fix, so no line is ever drawn across a gap.
 */
export interface TrackOutline {
  count: number;
  index: Uint32Array;
  lat: Float64Array;
  lon: Float64Array;
  crs: Uint8Array;
  /** The analysis's segments, as [start, end) into the outline's points. */
  segments: { start: number; end: number }[];
}

export interface TrackOverview {
  uid: string;
  /** Every fix in the period (the analysis read them all). */
  count: number;
  firstTs?: number;
  lastTs?: number;
  /** The period and the time it was analysed at: the page re-cuts the columns with the same edges. */
  range: TrackRange;
  /** The settings it was cut by (normalised). */
  settings: TrackSettings;
  holes: TrackHole[];
  analysis: TrackSummary;
  arrival: ArrivalSummary;
  counts: FixCounts;
  outline: TrackOutline;
}

/** Most buckets of `FixCounts` over a period: two weeks of minutes (80 kB). */
export const MAX_COUNT_BUCKETS = 20_160;
/** The outline's tolerance: this fraction of the track's extent (well under a pixel when the period is fitted). */
const OUTLINE_TOLERANCE = 1 / 2_000;

export function countBucketMs(spanMs: number): number {
  return Math.max(1, Math.ceil(Math.max(0, spanMs) / MAX_COUNT_BUCKETS / 60_000)) * 60_000;
}

export function fixCounts(ts: Float64Array, count: number, from: number, to: number): FixCounts {
  const bucketMs = countBucketMs(to - from);
  const start = Math.floor(from / bucketMs) * bucketMs;
  const counts = new Uint32Array(Math.max(1, Math.floor(to / bucketMs) - start / bucketMs + 1));
  for (let i = 0; i < count; i++) {
    const b = Math.floor((ts[i]! - start) / bucketMs);
    if (b >= 0 && b < counts.length) counts[b]!++;
  }
  return { from: start, bucketMs, counts };
}

/**
 * Fixes [start, end) simplified on a plane (longitude scaled by the cosine of the latitude): first a radial pass
 * (a fix within `tolerance` of the last one kept adds nothing: most of a stop's jitter, cheaply), then
 * Douglas-Peucker over what is left, with an explicit stack. Marks the kept fixes in `keep`; first and last always.
 */
function simplifySegment(
  x: Float64Array,
  y: Float64Array,
  start: number,
  end: number,
  tolerance: number,
  keep: Uint8Array,
  scratch: { near: Int32Array; stack: Int32Array },
): void {
  keep[start] = 1;
  keep[end - 1] = 1;
  if (end - start < 3) return;
  const tol2 = tolerance * tolerance;
  const near = scratch.near;
  let n = 0;
  near[n++] = start;
  let lastX = x[start]!;
  let lastY = y[start]!;
  for (let i = start + 1; i < end - 1; i++) {
    const dx = x[i]! - lastX;
    const dy = y[i]! - lastY;
    if (dx * dx + dy * dy > tol2) {
      near[n++] = i;
      lastX = x[i]!;
      lastY = y[i]!;
    }
  }
  near[n++] = end - 1;
  const stack = scratch.stack;
  let top = 0;
  stack[top++] = 0;
  stack[top++] = n - 1;
  while (top > 0) {
    const b = stack[--top]!;
    const a = stack[--top]!;
    const ax = x[near[a]!]!;
    const ay = y[near[a]!]!;
    const dx = x[near[b]!]! - ax;
    const dy = y[near[b]!]! - ay;
    const len2 = dx * dx + dy * dy;
    let worst = -1;
    let worstD = tol2;
    for (let j = a + 1; j < b; j++) {
      const px = x[near[j]!]! - ax;
      const py = y[near[j]!]! - ay;
      let d2: number;
      if (len2 === 0) d2 = px * px + py * py;
      else {
        const cross = px * dy - py * dx;
        d2 = (cross * cross) / len2;
      }
      if (d2 > worstD) {
        worstD = d2;
        worst = j;
      }
    }
    if (worst < 0) continue;
    keep[near[worst]!] = 1;
    if (worst - a > 1) {
      stack[top++] = a;
      stack[top++] = worst;
    }
    if (b - worst > 1) {
      stack[top++] = worst;
      stack[top++] = b;
    }
  }
}

export function outlineOf(track: TrackColumns, segments: readonly TrackSegment[]): TrackOutline {
  const n = track.count;
  const cos = n > 0 ? cosOfLat(track.lat[0]!) : 1;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const px = track.lon[i]! * cos;
    const py = track.lat[i]!;
    x[i] = px;
    y[i] = py;
    if (px < minX) minX = px;
    if (px > maxX) maxX = px;
    if (py < minY) minY = py;
    if (py > maxY) maxY = py;
  }
  const extent = n > 0 ? Math.max(maxX - minX, maxY - minY) : 0;
  const tolerance = extent * OUTLINE_TOLERANCE;
  const keep = new Uint8Array(n);
  // Each pushed pair splits a range in two, so the stack never holds more than two entries per fix.
  const scratch = { near: new Int32Array(n), stack: new Int32Array(2 * n + 4) };
  for (const s of segments)
    if (s.end > s.start) simplifySegment(x, y, s.start, s.end, tolerance, keep, scratch);
  let kept = 0;
  for (let i = 0; i < n; i++) kept += keep[i]!;
  const out: TrackOutline = {
    count: kept,
    index: new Uint32Array(kept),
    lat: new Float64Array(kept),
    lon: new Float64Array(kept),
    crs: new Uint8Array(kept),
    segments: [],
  };
  let k = 0;
  let s = 0;
  let segmentStart = -1;
  for (let i = 0; i < n; i++) {
    while (s < segments.length && i >= segments[s]!.end) s++;
    if (!keep[i]) continue;
    if (segmentStart < 0 || i === segments[s]?.start) {
      if (segmentStart >= 0) out.segments.push({ start: segmentStart, end: k });
      segmentStart = k;
    }
    out.index[k] = i;
    out.lat[k] = track.lat[i]!;
    out.lon[k] = track.lon[i]!;
    out.crs[k] = track.crs[i]!;
    k++;
  }
  if (segmentStart >= 0) out.segments.push({ start: segmentStart, end: k });
  return out;
}

/** The whole overview of one member's period: the same analysis the page runs on the columns. */
export function trackOverview(
  track: TrackColumns,
  settings: TrackSettings,
  holes: readonly TrackHole[],
  range: TrackRange,
): TrackOverview {
  const { jumps: _jumps, setAside: _setAside, ...analysis } = analyzeTrack(track, settings, holes, range);
  const n = track.count;
  return {
    uid: track.uid,
    count: n,
    ...(n > 0 && { firstTs: track.ts[0]!, lastTs: track.ts[n - 1]! }),
    range: { ...range },
    settings: { ...settings },
    holes: [...holes],
    analysis,
    arrival: summarizeArrival(track, settings.gapMs),
    counts: fixCounts(track.ts, n, range.from, range.to),
    outline: outlineOf(track, analysis.segments),
  };
}
