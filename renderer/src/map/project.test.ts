import { describe, expect, it } from 'vitest';
import { convertCrs } from '../../../protocol/crs.js';
import { createProjector, crsOfIndex, toBasemap } from './project.js';

describe('toBasemap', () => {
  // Tiananmen, as GCJ-02 from a phone.
  const lat = 39.9087;
  const lon = 116.3975;

  it.each(['gcj02', 'wgs84', 'bd09'] as const)('%s on a %s basemap is left as it is', (crs) => {
    expect(toBasemap(lat, lon, crs, crs)).toEqual([lat, lon]);
  });

  it.each([
    ['gcj02', 'wgs84'],
    ['gcj02', 'bd09'],
    ['wgs84', 'gcj02'],
    ['bd09', 'wgs84'],
  ] as const)('%s → %s goes through protocol/crs and returns [lat, lon]', (from, to) => {
    const expected = convertCrs(lon, lat, from, to);
    expect(toBasemap(lat, lon, from, to)).toEqual([expected.lat, expected.lon]);
    // Inside China the systems differ by hundreds of metres: the conversion must not be a no-op.
    expect(Math.abs(expected.lat - lat) + Math.abs(expected.lon - lon)).toBeGreaterThan(0.001);
  });

  it('outside China GCJ-02 and WGS-84 coincide', () => {
    expect(toBasemap(48.8584, 2.2945, 'gcj02', 'wgs84')).toEqual([48.8584, 2.2945]);
  });
});

describe('crsOfIndex', () => {
  it.each([
    [0, 'gcj02'],
    [1, 'wgs84'],
    [2, 'bd09'],
    [undefined, 'gcj02'],
    [9, 'gcj02'],
  ] as const)('%s → %s', (index, crs) => {
    expect(crsOfIndex(index)).toBe(crs);
  });
});

describe('createProjector', () => {
  it('converts each fix once and returns the same position after', () => {
    const project = createProjector('wgs84');
    const fix = { lat: 39.9087, lon: 116.3975, crs: 'gcj02' as const };
    const first = project(fix);
    expect(first).toEqual(toBasemap(fix.lat, fix.lon, 'gcj02', 'wgs84'));
    expect(project(fix)).toBe(first);
    expect(project({ ...fix, crs: 'wgs84' })).toEqual([fix.lat, fix.lon]);
  });
});
