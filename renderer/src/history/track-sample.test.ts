import { describe, expect, it } from 'vitest';
import type { TrackColumns } from '../../../contract/station-api.js';
import { chartBuckets, chartPath, chartRuns, indexAtOrBefore, pointAt, speedSeries } from './track-sample.js';

function track(rows: { ts: number; lat: number; lon: number; speed?: number; crs?: number }[]): TrackColumns {
  return {
    uid: 'm',
    count: rows.length,
    ts: Float64Array.from(rows.map((r) => r.ts)),
    lat: Float64Array.from(rows.map((r) => r.lat)),
    lon: Float64Array.from(rows.map((r) => r.lon)),
    speed: Float32Array.from(rows.map((r) => r.speed ?? Number.NaN)),
    accuracy: new Float32Array(rows.length).fill(Number.NaN),
    heading: new Float32Array(rows.length).fill(Number.NaN),
    crs: Uint8Array.from(rows.map((r) => r.crs ?? 0)),
    arrival: new Uint8Array(rows.length),
    downsampled: false,
    totalCount: rows.length,
  };
}

describe('indexAtOrBefore', () => {
  const ts = Float64Array.from([10, 20, 30, 30, 40]);
  it.each([
    [5, -1],
    [10, 0],
    [15, 0],
    [30, 3],
    [39, 3],
    [99, 4],
  ])('t=%i → %i', (t, expected) => {
    expect(indexAtOrBefore(ts, ts.length, t)).toBe(expected);
  });
  it('empty', () => expect(indexAtOrBefore(new Float64Array(), 0, 5)).toBe(-1));
});

describe('pointAt', () => {
  const t = track([
    { ts: 1000, lat: 30, lon: 120 },
    { ts: 2000, lat: 31, lon: 122 },
    { ts: 3000, lat: 31, lon: 122, crs: 1 },
  ]);
  it.each([
    [0, 30, 120, 0],
    [1000, 30, 120, 0],
    [1500, 30.5, 121, 0],
    [2000, 31, 122, 1],
    [2500, 31, 122, 1], // different crs ahead: no interpolation across systems
    [9000, 31, 122, 2],
  ])('t=%i → %f,%f (index %i)', (at, lat, lon, index) => {
    const p = pointAt(t, at);
    expect(p?.lat).toBeCloseTo(lat, 9);
    expect(p?.lon).toBeCloseTo(lon, 9);
    expect(p?.index).toBe(index);
  });
  it('none for an empty track', () => expect(pointAt(track([]), 5)).toBeUndefined());
  it('reports the row crs', () => expect(pointAt(t, 3000)?.crs).toBe('wgs84'));
});

describe('speedSeries', () => {
  it('prefers reported speeds and derives the rest from distance over time', () => {
    // 0.001° of latitude ≈ 111.2 m, 10 s apart → ≈ 11.1 m/s.
    const s = speedSeries(
      track([
        { ts: 0, lat: 30, lon: 120 },
        { ts: 10_000, lat: 30.001, lon: 120 },
        { ts: 20_000, lat: 30.002, lon: 120, speed: 3 },
      ]),
    );
    expect(s[0]).toBeCloseTo(11.12, 1);
    expect(s[1]).toBeCloseTo(11.12, 1);
    expect(s[2]).toBe(3);
  });
  it('a single fix has no speed', () => {
    expect(Number.isNaN(speedSeries(track([{ ts: 0, lat: 1, lon: 1 }]))[0])).toBe(true);
  });
  describe('never derives a speed across a gap between segments', () => {
    // Two segments 30 min apart; 0.001° of latitude ≈ 111.2 m. Across the gap the derived speed would be
    // 111.2 m / 1,800 s ≈ 0.06 m/s: a crawl that never happened.
    const day = track([
      { ts: 0, lat: 30, lon: 120 },
      { ts: 10_000, lat: 30.001, lon: 120 },
      { ts: 1_810_000, lat: 30.002, lon: 120 },
      { ts: 1_820_000, lat: 30.003, lon: 120 },
      { ts: 3_620_000, lat: 30.004, lon: 120 },
    ]);
    const segments = [
      { fromTs: 0, toTs: 10_000 },
      { fromTs: 1_810_000, toTs: 1_820_000 },
      { fromTs: 3_620_000, toTs: 3_620_000 },
    ];
    const s = speedSeries(day, segments);
    it.each([
      ['first fix of the day takes the next one', 0, 11.12],
      ['second fix takes the previous one', 1, 11.12],
      ["a segment's first fix takes the next one, not the one before the gap", 2, 11.12],
      ['then the previous one in its segment', 3, 11.12],
    ])('%s', (_what, index, expected) => expect(s[index]).toBeCloseTo(expected, 1));
    it('a fix alone in its segment has none', () => expect(Number.isNaN(s[4])).toBe(true));
    it('without segments the gap is read as a crawl (the case the segments prevent)', () => {
      expect(speedSeries(day)[2]).toBeCloseTo(0.06, 2);
    });
  });
});

describe('chartBuckets', () => {
  const ts = Float64Array.from([0, 10, 20, 60, 99]);
  const speeds = Float32Array.from([1, 5, 2, Number.NaN, 4]);
  it.each([
    [1, [{ t: 50, max: 5 }]],
    [
      4,
      [
        { t: 12.5, max: 5 },
        { t: 87.5, max: 4 },
      ],
    ],
    [0, []],
  ])('width %i', (width, expected) => {
    expect(chartBuckets(ts, speeds, ts.length, 0, 100, width)).toEqual(expected);
  });
});

describe('chartRuns / chartPath', () => {
  // Two segments with a 30-unit gap between 30 and 60: the line must not join 3 and 7 across it.
  const ts = Float64Array.from([0, 10, 20, 30, 60, 70, 80]);
  const speeds = Float32Array.from([1, 2, 3, 3, 7, 8, 9]);
  const segments = [
    { fromTs: 0, toTs: 30 },
    { fromTs: 60, toTs: 80 },
  ];
  it('gives one run per segment', () => {
    const runs = chartRuns(ts, speeds, ts.length, 0, 100, 10, segments);
    expect(runs.map((run) => run.map((b) => b.max))).toEqual([
      [1, 2, 3, 3],
      [7, 8, 9],
    ]);
  });
  it('starts a new subpath at each gap', () => {
    const path = chartPath(
      chartRuns(ts, speeds, ts.length, 0, 100, 10, segments),
      (t) => t,
      (s) => s,
    );
    expect(path).toBe('M5.0,1.0L15.0,2.0L25.0,3.0L35.0,3.0M65.0,7.0L75.0,8.0L85.0,9.0');
  });
  it('no segments: one run; a lone bucket still shows', () => {
    expect(chartRuns(ts, speeds, ts.length, 0, 100, 10, [])).toHaveLength(1);
    expect(
      chartPath(
        [[{ t: 5, max: 2 }]],
        (t) => t,
        (s) => s,
      ),
    ).toBe('M5.0,2.0h1');
  });
});
