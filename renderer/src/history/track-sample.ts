/**
 * Reading a loaded track (TrackColumns) at a time: where the playback marker is, and the speed series for the
 * chart. Binary search over the sorted `ts` column; no per-fix objects.
 */
import type { TrackColumns } from '../../../contract/station-api.js';
import { haversineM } from '../../../protocol/geodesy.js';
import type { Crs } from '../../../protocol/fix-limits.js';
import { crsOfIndex } from '../map/project.js';

/** Index of the last fix at or before `t` (-1 when `t` is before the first fix). */
export function indexAtOrBefore(ts: Float64Array, count: number, t: number): number {
  let lo = 0;
  let hi = count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((ts[mid] as number) <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export interface TrackPoint {
  lat: number;
  lon: number;
  crs: Crs;
  ts: number;
  index: number;
}

/**
 * The member's position at time `t`, interpolated linearly between the fixes around it (so the marker glides
 * instead of jumping once per fix); clamped to the first and last fix.
 */
export function pointAt(track: TrackColumns, t: number): TrackPoint | undefined {
  const n = track.count;
  if (n === 0) return undefined;
  const i = indexAtOrBefore(track.ts, n, t);
  if (i < 0) return row(track, 0, track.ts[0] as number);
  if (i >= n - 1) return row(track, n - 1, track.ts[n - 1] as number);
  const t0 = track.ts[i] as number;
  const t1 = track.ts[i + 1] as number;
  const f = t1 > t0 ? (t - t0) / (t1 - t0) : 0;
  const a = row(track, i, t);
  // Mixing systems within a segment would interpolate between offsets; take the earlier fix as it is.
  if (track.crs[i] !== track.crs[i + 1]) return a;
  return {
    ...a,
    lat: a.lat + ((track.lat[i + 1] as number) - a.lat) * f,
    lon: a.lon + ((track.lon[i + 1] as number) - a.lon) * f,
  };
}

function row(track: TrackColumns, i: number, ts: number): TrackPoint {
  return {
    lat: track.lat[i] as number,
    lon: track.lon[i] as number,
    crs: crsOfIndex(track.crs[i]),
    ts,
    index: i,
  };
}

/**
 * Speed at each fix in m/s: the device's when it reported one, else derived from the distance to the previous
 * fix (a segment's first fix takes the next one's). A derived speed never spans a gap between segments: across
 * one it would be the distance over the gap's duration, a slow crawl that never happened. NaN where neither is
 * known (a fix alone in its segment). Segments are matched by time (sorted, as the analysis gives them); without
 * any, the whole track is one.
 */
export function speedSeries(
  track: TrackColumns,
  segments: readonly { fromTs: number; toTs: number }[] = [],
): Float32Array {
  const n = track.count;
  const out = new Float32Array(n);
  const startsRun = segmentStarts(track.ts, n, segments);
  for (let i = 0; i < n; i++) {
    const reported = track.speed[i] as number;
    if (Number.isFinite(reported) && reported >= 0) {
      out[i] = reported;
      continue;
    }
    const j = startsRun[i] === 1 ? i + 1 : i - 1;
    if (j >= n || (j > i && startsRun[j] === 1)) {
      out[i] = Number.NaN;
      continue;
    }
    const dt = Math.abs((track.ts[i] as number) - (track.ts[j] as number)) / 1000;
    const d = haversineM(
      track.lat[i] as number,
      track.lon[i] as number,
      track.lat[j] as number,
      track.lon[j] as number,
    );
    out[i] = dt > 0 ? d / dt : Number.NaN;
  }
  return out;
}

/** 1 at each fix that begins a run of fixes whose neighbours may be compared: the first, and each segment's first. */
function segmentStarts(
  ts: Float64Array,
  count: number,
  segments: readonly { fromTs: number; toTs: number }[],
): Uint8Array {
  const starts = new Uint8Array(count);
  if (count > 0) starts[0] = 1;
  for (const segment of segments) {
    const first = indexAtOrBefore(ts, count, segment.fromTs - 1) + 1;
    if (first < count) starts[first] = 1;
    // A fix after the segment's end (set aside, or before the next segment) starts a run of its own.
    const after = indexAtOrBefore(ts, count, segment.toTs) + 1;
    if (after < count) starts[after] = 1;
  }
  return starts;
}

export interface ChartBucket {
  t: number;
  max: number;
}

/**
 * One bucket per horizontal pixel, keeping each bucket's highest speed (peaks matter to a dispatcher; a mean
 * would hide them). Empty buckets are left out (no invented zeros); `chartRuns` keeps the segments apart.
 */
export function chartBuckets(
  ts: Float64Array,
  speeds: Float32Array,
  count: number,
  from: number,
  to: number,
  width: number,
): ChartBucket[] {
  const buckets: ChartBucket[] = [];
  if (count === 0 || width < 1 || to <= from) return buckets;
  const span = to - from;
  const max = new Float64Array(width).fill(Number.NaN);
  for (let i = 0; i < count; i++) {
    const s = speeds[i] as number;
    if (!Number.isFinite(s)) continue;
    const b = Math.min(width - 1, Math.max(0, Math.floor((((ts[i] as number) - from) / span) * width)));
    if (!(s <= (max[b] as number))) max[b] = s;
  }
  for (let b = 0; b < width; b++) {
    const m = max[b] as number;
    if (Number.isFinite(m)) buckets.push({ t: from + ((b + 0.5) / width) * span, max: m });
  }
  return buckets;
}

/**
 * The chart's buckets, one run per segment of the track: a line must not join the speeds either side of a gap
 * (it would read as readings). Segments are matched by time, so they need not index these columns. No segments
 * (nothing analysed yet): one run.
 */
export function chartRuns(
  ts: Float64Array,
  speeds: Float32Array,
  count: number,
  from: number,
  to: number,
  width: number,
  segments: readonly { fromTs: number; toTs: number }[],
): ChartBucket[][] {
  if (segments.length === 0) {
    const all = chartBuckets(ts, speeds, count, from, to, width);
    return all.length > 0 ? [all] : [];
  }
  const runs: ChartBucket[][] = [];
  for (const segment of segments) {
    const lo = indexAtOrBefore(ts, count, segment.fromTs - 1) + 1;
    const hi = indexAtOrBefore(ts, count, segment.toTs) + 1;
    if (hi <= lo) continue;
    const run = chartBuckets(ts.subarray(lo, hi), speeds.subarray(lo, hi), hi - lo, from, to, width);
    if (run.length > 0) runs.push(run);
  }
  return runs;
}

/** SVG path data for the runs: each starts a new subpath; a run of one bucket is a short tick so it shows. */
export function chartPath(
  runs: readonly ChartBucket[][],
  x: (t: number) => number,
  y: (speed: number) => number,
): string {
  return runs
    .map((run) => {
      const d = run
        .map((b, i) => `${i === 0 ? 'M' : 'L'}${x(b.t).toFixed(1)},${y(b.max).toFixed(1)}`)
        .join('');
      return run.length === 1 ? `${d}h1` : d;
    })
    .join('');
}
