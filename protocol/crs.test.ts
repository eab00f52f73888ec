import { describe, expect, it } from 'vitest';
import {
  bd09ToGcj02,
  bd09ToWgs84,
  convertCrs,
  gcj02ToBd09,
  gcj02ToWgs84,
  outOfChina,
  wgs84ToBd09,
  wgs84ToGcj02,
} from './crs.js';
import { haversineM } from './geodesy.js';

// Reference outputs of wandergis/coordtransform (the de facto reference implementation) for (116.404, 39.915).
describe('reference points', () => {
  it.each([
    ['gcj02ToBd09', gcj02ToBd09, 116.41036949371029, 39.92133699351021],
    ['wgs84ToGcj02', wgs84ToGcj02, 116.41024449916938, 39.91640428150164],
  ] as const)('%s(116.404, 39.915)', (_name, fn, lon, lat) => {
    const out = fn(116.404, 39.915);
    expect(out.lon).toBeCloseTo(lon, 10);
    expect(out.lat).toBeCloseTo(lat, 10);
  });

  it('bd09ToGcj02 is within 10 cm of the approximate reference inverse and exact on the forward transform', () => {
    const out = bd09ToGcj02(116.404, 39.915);
    expect(haversineM(out.lat, out.lon, 39.90865673957631, 116.39762729119315)).toBeLessThan(0.1);
    const back = gcj02ToBd09(out.lon, out.lat);
    expect(back.lon).toBeCloseTo(116.404, 9);
    expect(back.lat).toBeCloseTo(39.915, 9);
  });

  it('gcj02ToWgs84 is within 2 m of the one-step inverse and exact where the forward transform lands', () => {
    // coordtransform's gcj02towgs84 is the approximate one-step inverse: [116.39775550083061, 39.91359571849836].
    const out = gcj02ToWgs84(116.404, 39.915);
    expect(haversineM(out.lat, out.lon, 39.91359571849836, 116.39775550083061)).toBeLessThan(2);
    const back = wgs84ToGcj02(out.lon, out.lat);
    expect(back.lon).toBeCloseTo(116.404, 9);
    expect(back.lat).toBeCloseTo(39.915, 9);
  });
});

describe('round trips inside China', () => {
  it.each([
    ['Beijing', 116.404, 39.915],
    ['Shanghai', 121.4737, 31.2304],
    ['Guangzhou', 113.2644, 23.1291],
    ['Urumqi', 87.6168, 43.8256],
    ['Harbin', 126.535, 45.8038],
    ['Sanya', 109.5119, 18.2528],
  ])('%s', (_city, lon, lat) => {
    const w = gcj02ToWgs84(...(Object.values(wgs84ToGcj02(lon, lat)) as [number, number]));
    expect(haversineM(w.lat, w.lon, lat, lon)).toBeLessThan(0.001);
    const b = bd09ToWgs84(...(Object.values(wgs84ToBd09(lon, lat)) as [number, number]));
    expect(haversineM(b.lat, b.lon, lat, lon)).toBeLessThan(0.001);
    // The GCJ-02 offset is a few hundred metres everywhere in China.
    const g = wgs84ToGcj02(lon, lat);
    const offset = haversineM(g.lat, g.lon, lat, lon);
    expect(offset).toBeGreaterThan(50);
    expect(offset).toBeLessThan(1000);
  });
});

describe('outside China', () => {
  it.each([
    ['London', -0.1276, 51.5072],
    ['Tokyo', 139.6917, 35.6895],
    ['Sydney', 151.2093, -33.8688],
    ['Null Island', 0, 0],
  ])('%s: GCJ-02 is the identity', (_place, lon, lat) => {
    expect(outOfChina(lon, lat)).toBe(true);
    expect(wgs84ToGcj02(lon, lat)).toEqual({ lon, lat });
    expect(gcj02ToWgs84(lon, lat)).toEqual({ lon, lat });
  });
});

describe('convertCrs', () => {
  it.each([
    ['wgs84', 'wgs84'],
    ['gcj02', 'gcj02'],
    ['bd09', 'bd09'],
  ] as const)('%s -> %s is the identity', (from, to) => {
    expect(convertCrs(116.404, 39.915, from, to)).toEqual({ lon: 116.404, lat: 39.915 });
  });

  it.each([
    ['wgs84', 'gcj02', wgs84ToGcj02],
    ['gcj02', 'wgs84', gcj02ToWgs84],
    ['gcj02', 'bd09', gcj02ToBd09],
    ['bd09', 'gcj02', bd09ToGcj02],
    ['wgs84', 'bd09', wgs84ToBd09],
    ['bd09', 'wgs84', bd09ToWgs84],
  ] as const)('%s -> %s matches the direct function', (from, to, fn) => {
    const got = convertCrs(121.4737, 31.2304, from, to);
    const want = fn(121.4737, 31.2304);
    expect(got.lon).toBeCloseTo(want.lon, 10);
    expect(got.lat).toBeCloseTo(want.lat, 10);
  });
});
