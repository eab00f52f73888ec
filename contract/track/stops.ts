/**
 * Stops: a stay within `stopRadiusM` of a running centre for at least `stopMinMs`. The centre is the mean of the
 * fixes so far, so GPS jitter around a parked phone stays inside the stop instead of counting as movement. Stray
 * jumps and fixes of poor accuracy do not break a stop (they are set aside), and a stop never spans a gap.
 */
import type { TrackColumns } from '../station-api.js';
import { accuracyOf, cosOfLat, M_PER_DEG, nearM, planarStep } from './distance.js';
import type { Segmentation } from './segments.js';
import type { TrackSettings } from './settings.js';

export interface TrackStop {
  /** Fixes `start` (inclusive) to `end` (exclusive), stray ones included. */
  start: number;
  end: number;
  fromTs: number;
  toTs: number;
  durationMs: number;
  /** Centre, in the system of the stop's first fix (`crs` is its index into CRS_VALUES). */
  lat: number;
  lon: number;
  crs: number;
}

/** Fixes that every figure ignores: stray jumps, and fixes reporting an accuracy worse than the setting. */
export function setAsideMask(
  track: TrackColumns,
  segmentation: Segmentation,
  maxAccuracyM: number,
): { mask: Uint8Array; poorAccuracy: number; jumps: number } {
  const mask = new Uint8Array(track.count);
  let poorAccuracy = 0;
  for (let i = 0; i < track.count; i++) {
    if (segmentation.jumps[i]) mask[i] = 1;
    else if (track.accuracy[i]! > maxAccuracyM) {
      mask[i] = 1;
      poorAccuracy++;
    }
  }
  return { mask, poorAccuracy, jumps: segmentation.jumpCount };
}

export function detectStops(
  track: TrackColumns,
  segmentation: Segmentation,
  settings: Pick<TrackSettings, 'stopRadiusM' | 'stopMinMs'>,
  setAside: Uint8Array,
): TrackStop[] {
  const { lat, lon, ts, crs } = track;
  const radius = settings.stopRadiusM;
  const cosLat = cosOfLat(lat[0] ?? 0);
  const stops: TrackStop[] = [];
  for (const segment of segmentation.segments) {
    // `ahead` is the first fix at least `stopMinMs` after the anchor: a member still near the anchor by then may
    // be stopped; one already twice the radius away is not, which skips the search while the member moves.
    let ahead = segment.start;
    let i = segment.start;
    while (i < segment.end) {
      if (setAside[i]) {
        i++;
        continue;
      }
      while (ahead < segment.end && ts[ahead]! - ts[i]! < settings.stopMinMs) ahead++;
      if (ahead >= segment.end) break;
      if (
        crs[ahead] === crs[i] &&
        planarStep(track, cosLat, i, ahead) > 2 * radius + accuracyOf(track, ahead)
      ) {
        i++;
        continue;
      }
      let sumLat = lat[i]!;
      let sumLon = lon[i]!;
      let kept = 1;
      let last = i;
      for (let j = i + 1; j < segment.end; j++) {
        if (crs[j] !== crs[i]) break;
        if (setAside[j]) continue;
        const dx = (lon[j]! - sumLon / kept) * cosLat * M_PER_DEG;
        const dy = (lat[j]! - sumLat / kept) * M_PER_DEG;
        if (dx * dx + dy * dy > radius * radius) break;
        sumLat += lat[j]!;
        sumLon += lon[j]!;
        kept++;
        last = j;
      }
      if (ts[last]! - ts[i]! >= settings.stopMinMs) {
        stops.push({
          start: i,
          end: last + 1,
          fromTs: ts[i]!,
          toTs: ts[last]!,
          durationMs: ts[last]! - ts[i]!,
          lat: sumLat / kept,
          lon: sumLon / kept,
          crs: crs[i]!,
        });
        i = last + 1;
      } else i++;
    }
  }
  return mergeTouching(stops, radius);
}

/** Two stops back to back at the same place are one stop that a single wide fix interrupted. */
function mergeTouching(stops: TrackStop[], radiusM: number): TrackStop[] {
  const out: TrackStop[] = [];
  for (const stop of stops) {
    const prev = out[out.length - 1];
    if (
      prev &&
      prev.end >= stop.start - 1 &&
      prev.crs === stop.crs &&
      nearM(prev.lat, prev.lon, stop.lat, stop.lon) <= radiusM
    ) {
      const a = prev.end - prev.start;
      const b = stop.end - stop.start;
      out[out.length - 1] = {
        ...prev,
        end: stop.end,
        toTs: stop.toTs,
        durationMs: stop.toTs - prev.fromTs,
        lat: (prev.lat * a + stop.lat * b) / (a + b),
        lon: (prev.lon * a + stop.lon * b) / (a + b),
      };
    } else out.push(stop);
  }
  return out;
}

/** For each fix, the index of the stop holding it, or -1. */
export function stopIndexOf(count: number, stops: readonly TrackStop[]): Int32Array {
  const out = new Int32Array(count).fill(-1);
  stops.forEach((stop, k) => out.fill(k, stop.start, stop.end));
  return out;
}
