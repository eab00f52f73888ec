/**
 * Distance and moving time a dispatcher can trust, on a cleaned track: each stop collapsed to its centre (jitter
 * while parked is not movement), stray jumps and fixes of poor accuracy set aside (and counted), gaps not bridged.
 *
 * Distance comes from the device's speed (Doppler, far less noisy than positions differenced) where the fixes
 * report it; otherwise from positions, smoothed over a few fixes and counted only once the member has moved
 * further than the fixes' accuracy, because summing 1 Hz steps of a 10 m-accurate track adds the jitter to the
 * distance (several tens of per cent at walking and city speeds).
 */
import type { TrackColumns } from '../station-api.js';
import { accuracyOf, cosOfLat, M_PER_DEG, stepM } from './distance.js';
import type { Segmentation } from './segments.js';
import { stopIndexOf, type TrackStop } from './stops.js';

export interface TrackFigures {
  distanceM: number;
  movingMs: number;
  /** Time inside stops, ms. */
  stoppedMs: number;
  /** Sum of the gaps' lengths, ms. */
  gapMs: number;
  /** Fixes the figures ignore, and why. */
  setAside: number;
  setAsidePoorAccuracy: number;
  setAsideJumps: number;
  /** Where the distance came from: the devices' speed readings or the positions. */
  method: 'speed' | 'positions';
  /** Highest device speed (or, without readings, highest cleaned step speed), m/s. */
  maxSpeedMps: number;
}

/** Share of moving steps that must carry a speed reading at both ends for the speed method. */
const SPEED_COVERAGE = 0.9;
/** Half-width of the smoothing window of the position method, fixes. */
const SMOOTH_HALF = 4;
/** Least step the position method counts, metres (a fix without accuracy is taken as this good). */
const MIN_STEP_M = 5;

const hasSpeed = (track: TrackColumns, i: number) => track.speed[i]! >= 0;

export function trackFigures(
  track: TrackColumns,
  segmentation: Segmentation,
  stops: readonly TrackStop[],
  setAside: { mask: Uint8Array; poorAccuracy: number; jumps: number },
): TrackFigures {
  const n = track.count;
  const stopOf = stopIndexOf(n, stops);
  const keep = (i: number) => setAside.mask[i] === 0;
  let movingMs = 0;
  let movingPairs = 0;
  let pairsWithSpeed = 0;
  let speedDistance = 0;
  let maxReported = -1;
  for (const segment of segmentation.segments) {
    let prev = -1;
    for (let i = segment.start; i < segment.end; i++) {
      if (!keep(i)) continue;
      if (hasSpeed(track, i) && track.speed[i]! > maxReported) maxReported = track.speed[i]!;
      if (prev >= 0 && !(stopOf[prev]! >= 0 && stopOf[prev] === stopOf[i])) {
        const dt = track.ts[i]! - track.ts[prev]!;
        movingMs += dt;
        movingPairs++;
        if (hasSpeed(track, prev) && hasSpeed(track, i)) {
          pairsWithSpeed++;
          speedDistance += ((track.speed[prev]! + track.speed[i]!) / 2) * (dt / 1000);
        } else speedDistance += stepM(track, prev, i);
      }
      prev = i;
    }
  }
  const bySpeed = movingPairs > 0 && pairsWithSpeed >= SPEED_COVERAGE * movingPairs;
  const positions = bySpeed ? undefined : positionDistance(track, segmentation, stopOf, stops, keep);
  const stoppedMs = stops.reduce((sum, s) => sum + s.durationMs, 0);
  return {
    distanceM: bySpeed ? speedDistance : positions!.distanceM,
    movingMs,
    stoppedMs,
    gapMs: segmentation.gaps.reduce((sum, g) => sum + g.durationMs, 0),
    setAside: setAside.poorAccuracy + setAside.jumps,
    setAsidePoorAccuracy: setAside.poorAccuracy,
    setAsideJumps: setAside.jumps,
    method: bySpeed ? 'speed' : 'positions',
    maxSpeedMps: maxReported >= 0 ? maxReported : (positions?.maxSpeedMps ?? 0),
  };
}

function positionDistance(
  track: TrackColumns,
  segmentation: Segmentation,
  stopOf: Int32Array,
  stops: readonly TrackStop[],
  keep: (i: number) => boolean,
): { distanceM: number; maxSpeedMps: number } {
  let distanceM = 0;
  let maxSpeedMps = 0;
  const n = track.count;
  // Scratch columns for one segment's cleaned points: kept fixes outside stops, each stop once at its centre.
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  const ts = new Float64Array(n);
  const acc = new Float32Array(n);
  const fixed = new Uint8Array(n);
  const sLat = new Float64Array(n);
  const sLon = new Float64Array(n);
  for (const segment of segmentation.segments) {
    let m = 0;
    let lastStop = -1;
    for (let i = segment.start; i < segment.end; i++) {
      if (!keep(i)) continue;
      const s = stopOf[i]!;
      if (s >= 0 && s === lastStop) continue;
      lastStop = s;
      const stop = s >= 0 ? stops[s]! : undefined;
      lat[m] = stop ? stop.lat : track.lat[i]!;
      lon[m] = stop ? stop.lon : track.lon[i]!;
      acc[m] = stop ? 0 : accuracyOf(track, i);
      fixed[m] = stop ? 1 : 0;
      ts[m] = track.ts[i]!;
      m++;
    }
    if (m < 2) continue;
    // Centred moving average between stop centres (which stay where they are).
    for (let k = 0; k < m; k++) {
      if (fixed[k]) {
        sLat[k] = lat[k]!;
        sLon[k] = lon[k]!;
        continue;
      }
      let a = 0;
      let b = 0;
      let c = 0;
      // Symmetric even at the ends of a segment, so its first and last points stay put (a one-sided window would
      // pull them inwards and shorten every segment).
      const half = Math.min(SMOOTH_HALF, k, m - 1 - k);
      for (let w = k - half; w <= k + half; w++) {
        if (fixed[w]) continue;
        a += lat[w]!;
        b += lon[w]!;
        c++;
      }
      sLat[k] = a / c;
      sLon[k] = b / c;
    }
    const cosLat = cosOfLat(sLat[0]!);
    let anchor = 0;
    for (let k = 1; k < m; k++) {
      const dx = (sLon[k]! - sLon[anchor]!) * cosLat * M_PER_DEG;
      const dy = (sLat[k]! - sLat[anchor]!) * M_PER_DEG;
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d >= Math.max(MIN_STEP_M, acc[k]!) || fixed[k] || k === m - 1) {
        distanceM += d;
        const dt = (ts[k]! - ts[anchor]!) / 1000;
        if (dt > 0 && d / dt > maxSpeedMps) maxSpeedMps = d / dt;
        anchor = k;
      }
    }
  }
  return { distanceM, maxSpeedMps };
}
