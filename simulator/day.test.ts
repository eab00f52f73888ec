/**
 * A generated day's truth must hold by itself before other work is measured against it: distance is the length
 * of the true path, stops stand still, dropouts send nothing, and every fix lies within its accuracy of the truth.
 */
import { describe, expect, it } from 'vitest';
import { type DayOptions, generateDay, type GeneratedDay } from './day.js';
import { haversineM } from './plane.js';

const START = Date.UTC(2026, 11, 1, 0, 0, 0);
const MINUTE = 60_000;

function pathLength(points: readonly { lat: number; lon: number }[]): number {
  let length = 0;
  for (let i = 1; i < points.length; i++) length += haversineM(points[i - 1]!, points[i]!);
  return length;
}

function truthAt(day: GeneratedDay): Map<number, { lat: number; lon: number }> {
  // Tick points come after any bend with the same time, so the last point of a ts is the tick's.
  return new Map(day.truth.path.map((p) => [p.ts, p]));
}

const variants: [string, Partial<DayOptions>][] = [
  ['a default day (scooter, 1 Hz, GCJ-02, 10 m)', {}],
  ['a walker at 0.2 Hz in WGS-84', { kind: 'walk', hz: 0.2, crs: 'wgs84' }],
  [
    'a car at 5 Hz for two hours, white-noise jitter',
    { kind: 'car', hz: 5, durationMs: 120 * MINUTE, stops: 2, dropouts: 2, jitterCorrelationMs: 0 },
  ],
  ['exact fixes, Guangzhou', { jitterM: 0, centre: { lon: 113.325, lat: 23.128 } }],
  ['indoor-grade accuracy (65 m)', { jitterM: 65, stops: [10 * MINUTE, 45 * MINUTE], dropouts: [30_000] }],
];

const days = new Map(variants.map(([name, o]) => [name, generateDay({ seed: 7, startMs: START, ...o })]));

describe.each(variants)('generateDay: %s', (name, options) => {
  const day = days.get(name)!;
  const hz = options.hz ?? 1;
  const intervalMs = 1000 / hz;
  const durationMs = options.durationMs ?? 24 * 60 * MINUTE;
  // GCJ-02's offset changes across a city, stretching lengths measured on its coordinates by up to ~0.5 %.
  const scale = day.crs === 'gcj02' ? 0.01 : 0.001;

  it('distance is the length of the true path (haversine; within 0.1 % in WGS-84, 1 % in GCJ-02)', () => {
    expect(day.truth.distanceM).toBeGreaterThan(0);
    expect(Math.abs(pathLength(day.truth.path) / day.truth.distanceM - 1)).toBeLessThan(scale);
  });

  it('moving time is the day minus its stops, and speeds are plausible for the kind', () => {
    const lastTick = START + Math.round((Math.floor((durationMs * hz) / 1000) - 1) * intervalMs);
    const stopped = day.truth.stops.reduce((sum, s) => sum + (s.toMs - s.fromMs), 0);
    expect(day.truth.movingMs).toBe(lastTick - START - stopped);
    const meanMps = day.truth.distanceM / (day.truth.movingMs / 1000);
    const expected = { walk: 1.4, scooter: 6, car: 10 }[options.kind ?? 'scooter'];
    expect(meanMps / expected).toBeGreaterThan(0.8);
    expect(meanMps / expected).toBeLessThan(1.2);
  });

  it('stops stand still at their centre, with speed 0 on their fixes', () => {
    const stops = options.stops ?? 6;
    const wanted = typeof stops === 'number' ? stops : stops.length;
    expect(day.truth.stops).toHaveLength(wanted);
    for (const stop of day.truth.stops) {
      const inside = day.truth.path.filter((p) => p.ts >= stop.fromMs && p.ts <= stop.toMs);
      expect(inside.length).toBeGreaterThan(1);
      expect(inside.filter((p) => haversineM(p, stop) > 1e-6)).toEqual([]);
      const fixes = day.fixes.filter((f) => f.ts >= stop.fromMs && f.ts <= stop.toMs);
      expect(fixes.length).toBeGreaterThan(0);
      expect(fixes.filter((f) => f.speed !== 0)).toEqual([]);
    }
    if (typeof stops !== 'number') {
      expect(day.truth.stops.map((s) => s.toMs - s.fromMs).sort((a, b) => a - b)).toEqual(
        [...stops].sort((a, b) => a - b),
      );
    }
  });

  it('dropouts send no fix; a fix comes just before and at their end; their distance is the unheard path', () => {
    const times = new Set(day.fixes.map((f) => f.ts));
    for (const dropout of day.truth.dropouts) {
      expect(day.fixes.some((f) => f.ts >= dropout.fromMs && f.ts < dropout.toMs)).toBe(false);
      expect(times.has(dropout.toMs)).toBe(true);
      const before = day.fixes.filter((f) => f.ts < dropout.fromMs).at(-1)!;
      expect(dropout.fromMs - before.ts).toBeLessThanOrEqual(Math.ceil(intervalMs));
      const unheard = day.truth.path.filter((p) => p.ts >= before.ts && p.ts <= dropout.toMs);
      expect(Math.abs(pathLength(unheard) - dropout.distanceM)).toBeLessThan(
        0.01 + dropout.distanceM * scale,
      );
      expect(dropout.movingMs).toBe(dropout.toMs - before.ts);
    }
    const missing = day.truth.dropouts.reduce(
      (sum, d) => sum + Math.round(((d.toMs - d.fromMs) * hz) / 1000),
      0,
    );
    expect(day.fixes.length).toBe(Math.floor((durationMs * hz) / 1000) - missing);
  });

  it('every fix lies within its reported accuracy of the true place', () => {
    const truth = truthAt(day);
    let largest = 0;
    const outside = day.fixes.filter((fix) => {
      const off = haversineM(fix, truth.get(fix.ts)!);
      largest = Math.max(largest, off / fix.accuracy!);
      return off > fix.accuracy! * (1 + scale) + 0.01;
    });
    expect(outside).toEqual([]);
    // Errors use the room they are given: some fixes come near their accuracy.
    if ((options.jitterM ?? 10) > 0) expect(largest).toBeGreaterThan(0.6);
    else expect(largest).toBeLessThan(1e-6);
  });

  it('fixes are well-formed canonical fixes in time order', () => {
    const bad = day.fixes.filter(
      (f, i) =>
        f.uid !== '42' ||
        f.crs !== day.crs ||
        !Number.isInteger(f.ts) ||
        (i > 0 && f.ts <= day.fixes[i - 1]!.ts) ||
        !(f.speed! >= 0) ||
        !Number.isInteger(f.accuracy),
    );
    expect(bad).toEqual([]);
  });
});

describe('generateDay', () => {
  it('a day at 1 Hz without dropouts has 86,400 fixes, one per second', () => {
    const day = generateDay({ seed: 1, startMs: START, dropouts: 0, withPath: false });
    expect(day.fixes).toHaveLength(86_400);
    expect(day.fixes.at(-1)!.ts - day.fixes[0]!.ts).toBe(86_399_000);
    expect(day.truth.path).toEqual([]);
  });

  it('with exact fixes, summing fix-to-fix distances outside dropouts plus the dropouts gives the truth (1 %)', () => {
    const day = generateDay({ seed: 3, startMs: START, jitterM: 0, crs: 'wgs84', kind: 'walk' });
    const ends = new Set(day.truth.dropouts.map((d) => d.toMs));
    let heard = 0;
    for (let i = 1; i < day.fixes.length; i++)
      if (!ends.has(day.fixes[i]!.ts)) heard += haversineM(day.fixes[i - 1]!, day.fixes[i]!);
    const unheard = day.truth.dropouts.reduce((sum, d) => sum + d.distanceM, 0);
    expect(Math.abs((heard + unheard) / day.truth.distanceM - 1)).toBeLessThan(0.01);
  });

  it('is the same for the same options and differs for another seed', () => {
    const options = { seed: 5, startMs: START, durationMs: 60 * MINUTE, stops: 1, dropouts: 1 };
    expect(generateDay(options)).toEqual(generateDay(options));
    expect(generateDay({ ...options, seed: 6 }).fixes[0]).not.toEqual(generateDay(options).fixes[0]);
  });

  it('more jitter changes the fixes, not the truth', () => {
    const options = { seed: 5, startMs: START, durationMs: 60 * MINUTE, stops: 1, dropouts: 1 };
    const calm = generateDay({ ...options, jitterM: 3 });
    const rough = generateDay({ ...options, jitterM: 30 });
    expect(rough.truth).toEqual(calm.truth);
    expect(rough.fixes[100]).not.toEqual(calm.fixes[100]);
  });

  it('GCJ-02 fixes sit about 300-700 m from WGS-84 ones in Shenzhen, the offset wx applies', () => {
    const options = { seed: 5, startMs: START, durationMs: 10 * MINUTE, stops: 0, dropouts: 0, jitterM: 0 };
    const gcj = generateDay({ ...options, crs: 'gcj02' });
    const wgs = generateDay({ ...options, crs: 'wgs84' });
    const offset = haversineM(gcj.fixes[0]!, wgs.fixes[0]!);
    expect(offset).toBeGreaterThan(300);
    expect(offset).toBeLessThan(700);
  });

  it.each([
    ['stops that do not fit', { durationMs: 30 * MINUTE, stops: [40 * MINUTE] }, /need .* ticks/],
    ['a zero rate', { hz: 0 }, /hz must be/],
    ['negative jitter', { jitterM: -1 }, /jitterM/],
    ['a tiny radius', { radiusM: 10 }, /radiusM/],
  ] as const)('refuses %s with a sentence', (_name, options, message) => {
    expect(() => generateDay({ seed: 1, startMs: START, ...options })).toThrow(message);
  });
});
