import { describe, expect, it } from 'vitest';
import { normalizeRawFix, parseRawFix } from '../protocol/fix.js';
import type { Fix } from '../protocol/fix.js';
import { ingestRawFix, phpRawFix, phpRawMessage } from './raw-fix.js';

const fixes: [string, Fix][] = [
  [
    'an integer uid',
    {
      uid: '42',
      lat: 22.5312345678,
      lon: 113.9312345678,
      ts: 1_764_547_200_123,
      crs: 'gcj02',
      speed: 5.98,
      accuracy: 11,
    },
  ],
  [
    'a string uid, WGS-84',
    { uid: 'driver-7', lat: 23.1, lon: 113.3, ts: 1_764_547_200_000, crs: 'wgs84', speed: 0, accuracy: 65 },
  ],
  ['no speed or accuracy', { uid: '9', lat: -33.9, lon: 151.2, ts: 1_764_547_200_000, crs: 'wgs84' }],
];

describe('raw fix shapes', () => {
  it.each(fixes)('%s: the PHP message parses back to the same fix (to 1 cm)', (_name, fix) => {
    const parsed = parseRawFix(Buffer.from(phpRawMessage(fix)), fix.ts + 1000);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect({ ...parsed.value, lat: 0, lon: 0 }).toEqual({ ...fix, lat: 0, lon: 0 });
    expect(Math.abs(parsed.value.lat - fix.lat)).toBeLessThan(1e-7);
    expect(Math.abs(parsed.value.lon - fix.lon)).toBeLessThan(1e-7);
  });

  it('the PHP shape is what input() hands over: strings, except the integer uid and ts', () => {
    expect(phpRawFix(fixes[0]![1])).toEqual({
      uid: 42,
      longitude: '113.9312346',
      latitude: '22.5312346',
      ts: 1_764_547_200_123,
      crs: 'gcj02',
      speed: '5.98',
      accuracy: '11',
    });
  });

  it.each(fixes)('%s: the ingest shape parses to the same fix under the token uid', (_name, fix) => {
    const raw = ingestRawFix(fix, 'run1-42-7');
    expect(raw).not.toHaveProperty('uid');
    expect(raw.cid).toBe('run1-42-7');
    const parsed = normalizeRawFix({ ...raw, uid: fix.uid }, fix.ts + 1000);
    expect(parsed.ok && { ...parsed.value, lat: 0, lon: 0 }).toEqual({
      ...fix,
      cid: 'run1-42-7',
      lat: 0,
      lon: 0,
    });
  });
});
