import { describe, expect, it } from 'vitest';
import { exportBaseName, periodPart, uniqueFileName } from './file-name.js';

const CN = 480;
/** Local Beijing time as UTC ms. */
const bj = (iso: string) => Date.parse(`${iso}+08:00`);

describe('export file names', () => {
  it.each([
    ['a whole local day', bj('2026-11-30T00:00:00'), bj('2026-12-01T00:00:00') - 1, CN, '2026-11-30'],
    ['the same day in UTC', Date.UTC(2026, 10, 30), Date.UTC(2026, 11, 1) - 1, 0, '2026-11-30'],
    [
      'a UTC day seen from Beijing',
      Date.UTC(2026, 10, 30),
      Date.UTC(2026, 11, 1) - 1,
      CN,
      '2026-11-30_0800_2026-12-01_0759',
    ],
    ['two whole days', bj('2026-11-29T00:00:00'), bj('2026-12-01T00:00:00') - 1, CN, '2026-11-29_2026-11-30'],
    ['part of a day', bj('2026-11-30T14:00:00'), bj('2026-11-30T15:30:00'), CN, '2026-11-30_1400-1530'],
    [
      'over midnight',
      bj('2026-11-30T22:00:00'),
      bj('2026-12-01T06:00:00'),
      CN,
      '2026-11-30_2200_2026-12-01_0600',
    ],
  ])('%s', (_name, from, to, offset, expected) => {
    expect(periodPart(from, to, offset)).toBe(expected);
  });

  it.each([
    [['42'], 'lodestar_42_2026-11-30'],
    [['a.b:c'], 'lodestar_a-b-c_2026-11-30'],
    [['42', '43', '44'], 'lodestar_3-members_2026-11-30'],
  ])('%j → %s', (uids, expected) => {
    expect(exportBaseName(uids, bj('2026-11-30T00:00:00'), bj('2026-12-01T00:00:00') - 1, CN)).toBe(expected);
  });

  it.each([
    [[], 'x.gpx'],
    [['x.gpx'], 'x_2.gpx'],
    [['x.gpx', 'x_2.gpx', 'x_3.gpx'], 'x_4.gpx'],
    [['x_2.gpx'], 'x.gpx'],
  ])('taken %j → %s', (taken, expected) => {
    expect(uniqueFileName('x', 'gpx', (n) => taken.includes(n))).toBe(expected);
  });
});
