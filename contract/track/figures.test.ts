import { describe, expect, it } from 'vitest';
import { analyzeTrack } from './analyze.js';
import { DEFAULT_TRACK_SETTINGS } from './settings.js';
import { run, track, type Row } from './test-track.js';

const S = DEFAULT_TRACK_SETTINGS;
const jitter = (rows: Row[], metres: number): Row[] =>
  rows.map(([s, e, n], k) => [s, e + metres * Math.sin(k * 2.1), n + metres * Math.cos(k * 1.3), metres]);
const withSpeed = (rows: Row[], mps: number): Row[] => rows.map(([s, e, n, a]) => [s, e, n, a, mps]);

describe('trackFigures', () => {
  it.each<[string, Row[], { distanceM: number; movingS: number; method: string; setAside?: number }]>([
    [
      '1 km east at 10 m/s, exact',
      run(0, 101, 1, 0, 10),
      { distanceM: 1000, movingS: 100, method: 'positions' },
    ],
    [
      'with 10 m jitter',
      jitter(run(0, 301, 1, 0, 10), 10),
      { distanceM: 3000, movingS: 300, method: 'positions' },
    ],
    [
      'device speed wins over jittery positions',
      withSpeed(jitter(run(0, 301, 1, 0, 10), 10), 10),
      { distanceM: 3000, movingS: 300, method: 'speed' },
    ],
    [
      'a 20-minute stop with 20 m jitter adds no distance and no moving time',
      [...run(0, 61, 1, 0, 10), ...jitter(run(61, 1200, 1, 600, 0), 20), ...run(1261, 60, 1, 610, 10)],
      { distanceM: 1200, movingS: 121, method: 'positions' },
    ],
    [
      'a stray jump and a poor fix are set aside',
      [...run(0, 50, 1, 0, 10), [50, 9_000, 0], [51, 510, 0, 900], ...run(52, 49, 1, 520, 10)],
      { distanceM: 1000, movingS: 100, method: 'positions', setAside: 2 },
    ],
    [
      'a dropout is neither distance nor moving time',
      [...run(0, 61, 1, 0, 10), ...run(1861, 61, 1, 5_000, 10)],
      { distanceM: 1200, movingS: 120, method: 'positions' },
    ],
  ])('%s', (_name, rows, expected) => {
    const { figures } = analyzeTrack(track(rows), S);
    expect(figures.method).toBe(expected.method);
    expect(Math.abs(figures.distanceM - expected.distanceM) / expected.distanceM).toBeLessThan(0.05);
    expect(Math.abs(figures.movingMs / 1000 - expected.movingS)).toBeLessThanOrEqual(
      expected.movingS * 0.1 + 2,
    );
    expect(figures.setAside).toBe(expected.setAside ?? 0);
  });
});
