import { describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '../../../protocol/crs.js';
import { emptyColumns } from '../../../contract/track/columns.js';
import { MAX_SEGMENT_GAP_MS, trackStats } from './stats.js';

interface P {
  t: number; // seconds
  lat: number;
  lon: number;
  speed?: number;
  crs?: number;
}

function columns(points: P[]) {
  const c = emptyColumns('1', points.length);
  points.forEach((p, i) => {
    c.ts[i] = p.t * 1000;
    c.lat[i] = p.lat;
    c.lon[i] = p.lon;
    c.speed[i] = p.speed ?? NaN;
    c.crs[i] = p.crs ?? 1; // wgs84
  });
  c.count = c.totalCount = points.length;
  return c;
}

// 0.001° of latitude is 111.2 m on the mean-radius sphere.
const M_PER_MILLIDEG = 111.195;

describe('trackStats', () => {
  it.each([
    ['empty', [], { count: 0, distanceM: 0, durationMs: 0, movingMs: 0, maxSpeedMps: 0, firstTs: undefined }],
    [
      'one fix',
      [{ t: 5, lat: 30, lon: 120 }],
      { count: 1, distanceM: 0, durationMs: 0, firstTs: 5000, lastTs: 5000 },
    ],
    [
      'standing still',
      [
        { t: 0, lat: 30, lon: 120 },
        { t: 60, lat: 30, lon: 120 },
      ],
      { distanceM: 0, durationMs: 60_000, movingMs: 0, maxSpeedMps: 0 },
    ],
    [
      'walking north 111 m in 100 s',
      [
        { t: 0, lat: 30, lon: 120 },
        { t: 100, lat: 30.001, lon: 120 },
      ],
      {
        distanceM: M_PER_MILLIDEG,
        durationMs: 100_000,
        movingMs: 100_000,
        maxSpeedMps: M_PER_MILLIDEG / 100,
      },
    ],
    [
      'reported speed wins over derived',
      [
        { t: 0, lat: 30, lon: 120, speed: 3 },
        { t: 10, lat: 30.001, lon: 120, speed: 4.5 },
      ],
      { maxSpeedMps: 4.5, movingMs: 10_000 },
    ],
    [
      'a long gap is not moving time',
      [
        { t: 0, lat: 30, lon: 120 },
        { t: MAX_SEGMENT_GAP_MS / 1000 + 1, lat: 30.1, lon: 120 },
      ],
      { movingMs: 0, durationMs: MAX_SEGMENT_GAP_MS + 1000 },
    ],
  ] as [string, P[], Record<string, number | undefined>][])('%s', (_name, points, expected) => {
    const stats = trackStats(columns(points));
    for (const [key, value] of Object.entries(expected)) {
      const got = stats[key as keyof typeof stats];
      if (typeof value === 'number') expect(got as number).toBeCloseTo(value, 1);
      else expect(got).toBe(value);
    }
  });

  it('converts each fix to WGS-84 first: a member switching from GCJ-02 to WGS-84 while standing still did not move', () => {
    const gcj = wgs84ToGcj02(116.404, 39.915);
    const stats = trackStats(
      columns([
        { t: 0, lat: gcj.lat, lon: gcj.lon, crs: 0 },
        { t: 10, lat: 39.915, lon: 116.404, crs: 1 },
      ]),
    );
    expect(stats.distanceM).toBeLessThan(0.01);
  });
});
