/**
 * The figures a dispatcher is shown, held to the truth of generated days (simulator/day.ts): distance and moving
 * time within 10 % for jitter up to the fix's accuracy (correlated as phones report it, and independent per fix,
 * the hardest case), with and without the device's speed readings; every stop found; every dropout longer than
 * the gap setting listed as a gap. The truth counts the unseen distance of a dropout; a track cannot, so the
 * figures are compared with the truth minus the dropouts.
 */
import { describe, expect, it } from 'vitest';
import type { Fix } from '../../protocol/fix.js';
import { CRS_VALUES } from '../../protocol/fix-limits.js';
import type { TrackColumns } from '../../contract/station-api.js';
import { analyzeTrack, DEFAULT_TRACK_SETTINGS } from '../../contract/track/index.js';
import { generateDay, type DayOptions } from '../../simulator/day.js';

function columns(fixes: readonly Fix[], withSpeed: boolean): TrackColumns {
  const n = fixes.length;
  const c: TrackColumns = {
    uid: fixes[0]?.uid ?? '',
    count: n,
    ts: new Float64Array(n),
    lat: new Float64Array(n),
    lon: new Float64Array(n),
    speed: new Float32Array(n),
    accuracy: new Float32Array(n),
    heading: new Float32Array(n).fill(Number.NaN),
    crs: new Uint8Array(n),
    arrival: new Uint8Array(n),
    downsampled: false,
    totalCount: n,
  };
  fixes.forEach((f, i) => {
    c.ts[i] = f.ts;
    c.lat[i] = f.lat;
    c.lon[i] = f.lon;
    c.speed[i] = withSpeed ? (f.speed ?? Number.NaN) : Number.NaN;
    c.accuracy[i] = f.accuracy ?? Number.NaN;
    c.crs[i] = CRS_VALUES.indexOf(f.crs);
  });
  return c;
}

const START = Date.UTC(2026, 10, 29, 16);
const CASES: [string, Partial<DayOptions>, boolean][] = [];
for (const [jitter, options] of [
  ['10 m jitter, correlated', { jitterM: 10 }],
  ['20 m jitter, correlated', { jitterM: 20 }],
  ['15 m jitter, independent per fix', { jitterM: 15, jitterCorrelationMs: 0 }],
] as const) {
  for (const withSpeed of [true, false]) CASES.push([jitter, options, withSpeed]);
}

describe('figures on a generated day', () => {
  it.each(CASES)('%s (%j), device speed: %s', (_name, options, withSpeed) => {
    const day = generateDay({
      seed: 11,
      startMs: START,
      withPath: false,
      dropouts: [30 * 60_000, 2 * 60_000],
      ...options,
    });
    const { figures, stops, gaps } = analyzeTrack(columns(day.fixes, withSpeed), DEFAULT_TRACK_SETTINGS);
    const seenDistance = day.truth.distanceM - day.truth.dropouts.reduce((s, d) => s + d.distanceM, 0);
    const seenMoving = day.truth.movingMs - day.truth.dropouts.reduce((s, d) => s + d.movingMs, 0);
    expect(figures.method).toBe(withSpeed ? 'speed' : 'positions');
    expect(Math.abs(figures.distanceM / seenDistance - 1)).toBeLessThan(0.1);
    expect(Math.abs(figures.movingMs / seenMoving - 1)).toBeLessThan(0.1);
    // Every true stop is found where and when it was.
    expect(stops).toHaveLength(day.truth.stops.length);
    stops.forEach((stop, k) => {
      const truth = day.truth.stops[k]!;
      expect(Math.abs(stop.fromTs - truth.fromMs)).toBeLessThan(60_000);
      expect(Math.abs(stop.toTs - truth.toMs)).toBeLessThan(60_000);
    });
    // The 30-minute dropout is a gap; the 2-minute one is under the 5-minute setting.
    const long = day.truth.dropouts.find((d) => d.toMs - d.fromMs >= 30 * 60_000)!;
    expect(gaps.map((g) => g.cause)).toEqual(['time']);
    expect(gaps[0]!.fromTs).toBeLessThan(long.fromMs);
    expect(gaps[0]!.toTs).toBe(long.toMs);
  });
});
