import { describe, expect, it } from 'vitest';
import { splitSegments } from './segments.js';
import { DEFAULT_TRACK_SETTINGS } from './settings.js';
import { detectStops, setAsideMask } from './stops.js';
import { run, T0, track, type Row } from './test-track.js';

const S = DEFAULT_TRACK_SETTINGS;
/** Standing at `east` for `seconds` with a deterministic jitter of up to `jitter` metres. */
const stand = (fromS: number, seconds: number, east: number, jitter: number, accuracy?: number): Row[] =>
  Array.from({ length: seconds }, (_, k) => [
    fromS + k,
    east + jitter * Math.sin(k * 1.7),
    jitter * Math.cos(k * 2.3),
    accuracy,
  ]);

const stopsOf = (rows: Row[], settings = S) => {
  const t = track(rows);
  const seg = splitSegments(t, settings);
  return detectStops(t, seg, settings, setAsideMask(t, seg, settings.maxAccuracyM).mask).map((s) => [
    (s.fromTs - T0) / 1000,
    (s.toTs - T0) / 1000,
  ]);
};

describe('detectStops', () => {
  it.each<[string, Row[], number[][]]>([
    ['moving all along', run(0, 600, 1, 0, 8), []],
    [
      'a 10-minute stop with 15 m jitter',
      [...run(0, 60, 1, 0, 8), ...stand(60, 600, 480, 15), ...run(660, 60, 1, 480, 8)],
      [[59, 659]],
    ],
    [
      '2 minutes is a wait, not a stop',
      [...run(0, 60, 1, 0, 8), ...stand(60, 120, 480, 5), ...run(180, 60, 1, 480, 8)],
      [],
    ],
    [
      'two stops',
      [...stand(0, 300, 0, 10), ...run(300, 60, 1, 0, 10), ...stand(360, 400, 600, 10)],
      [
        [0, 300],
        [359, 759],
      ],
    ],
    [
      'a stray fix inside does not split the stop',
      [...stand(0, 200, 0, 5), [200, 3_000, 0, 5], ...stand(201, 200, 0, 5)],
      [[0, 400]],
    ],
    [
      'a fix of poor accuracy inside does not split it',
      [...stand(0, 200, 0, 5, 8), [200, 400, 0, 500], ...stand(201, 200, 0, 5, 8)],
      [[0, 400]],
    ],
    ['never across a gap', [...stand(0, 100, 0, 5), ...stand(1000, 100, 0, 5)], []],
  ])('%s', (_name, rows, expected) => {
    // A stop starts when the member comes within the radius of where it stays: a few seconds of arriving count.
    const found = stopsOf(rows);
    expect(found).toHaveLength(expected.length);
    found.forEach(([from, to], k) => {
      expect(Math.abs(from! - expected[k]![0]!)).toBeLessThanOrEqual(8);
      expect(Math.abs(to! - expected[k]![1]!)).toBeLessThanOrEqual(8);
    });
  });

  it.each([
    [30, 3 * 60_000, 1],
    [30, 15 * 60_000, 0],
    [5, 3 * 60_000, 0],
  ])('radius %i m, minimum %i ms: %i stops', (stopRadiusM, stopMinMs, count) => {
    const rows = [...run(0, 60, 1, 0, 8), ...stand(60, 600, 480, 12), ...run(660, 60, 1, 480, 8)];
    expect(stopsOf(rows, { ...S, stopRadiusM, stopMinMs })).toHaveLength(count);
  });
});
