import { describe, expect, it } from 'vitest';
import { convertCrs } from '../../../protocol/crs.js';
import { nearestMembers } from './nearest.js';

// Tiananmen area; 0.01° of latitude is ~1,112 m.
const WGS = { lat: 39.9, lon: 116.4 };
const gcj = (lat: number, lon: number) => {
  const p = convertCrs(lon, lat, 'wgs84', 'gcj02');
  return { lat: p.lat, lon: p.lon };
};

describe('nearestMembers', () => {
  it('orders by WGS-84 distance whatever system the point and the fixes are in', () => {
    const members = [
      { uid: 'far', ...gcj(WGS.lat + 0.02, WGS.lon), crs: 'gcj02' as const },
      { uid: 'near', lat: WGS.lat + 0.001, lon: WGS.lon, crs: 'wgs84' as const },
      { uid: 'mid', ...gcj(WGS.lat + 0.01, WGS.lon), crs: 'gcj02' as const },
    ];
    // The same point clicked on a GCJ-02 basemap and on a WGS-84 one gives the same answer.
    for (const [point, crs] of [
      [WGS, 'wgs84'],
      [gcj(WGS.lat, WGS.lon), 'gcj02'],
    ] as const) {
      const result = nearestMembers(point, crs, members, 10);
      expect(result.map((r) => r.uid)).toEqual(['near', 'mid', 'far']);
      expect(result[0]?.distanceM).toBeCloseTo(111, -1);
      expect(result[1]?.distanceM).toBeCloseTo(1112, -1);
      expect(result[2]?.distanceM).toBeCloseTo(2224, -1);
    }
  });

  it.each([
    [0, []],
    [1, ['a']],
    [5, ['a', 'b']],
  ])('keeps at most %i', (limit, expected) => {
    const members = [
      { uid: 'b', lat: 39.91, lon: 116.4, crs: 'wgs84' as const },
      { uid: 'a', lat: 39.89, lon: 116.4, crs: 'wgs84' as const },
    ];
    expect(nearestMembers(WGS, 'wgs84', members, limit).map((r) => r.uid)).toEqual(expected);
  });
});
