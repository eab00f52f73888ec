import { describe, expect, it } from 'vitest';
import { MAX_RAW_FIX_BYTES, parseRawFix } from './fix.js';

const NOW = 1_764_000_000_000;

describe('parseRawFix accepts what the customer publishes', () => {
  it.each([
    [
      'PHP input() strings',
      { uid: 42, longitude: '113.324520', latitude: '23.099994' },
      { uid: '42', lon: 113.32452, lat: 23.099994 },
    ],
    [
      'numbers and string uid',
      { uid: 'm-7', longitude: 116.4, latitude: 39.9 },
      { uid: 'm-7', lon: 116.4, lat: 39.9 },
    ],
    ['lat/lon aliases', { uid: 1, lon: 1.5, lat: -2.5 }, { uid: '1', lon: 1.5, lat: -2.5 }],
    ['boundaries', { uid: 3, longitude: -180, latitude: 90 }, { uid: '3', lon: -180, lat: 90 }],
  ])('%s', (_name, raw, expected) => {
    const r = parseRawFix(JSON.stringify(raw), NOW);
    expect(r).toEqual({ ok: true, value: { ...expected, ts: NOW, crs: 'gcj02' } });
  });

  it('keeps wx.onLocationChange optional fields, ts, crs and direction; ignores unknown fields', () => {
    const raw = {
      uid: 42,
      longitude: '113.3',
      latitude: '23.1',
      speed: '1.5',
      accuracy: 65,
      altitude: 0,
      verticalAccuracy: 0,
      horizontalAccuracy: 65,
      direction: 270,
      ts: NOW - 5000,
      crs: 'WGS84',
      errMsg: 'onLocationChange:ok',
    };
    const r = parseRawFix(JSON.stringify(raw), NOW);
    expect(r).toEqual({
      ok: true,
      value: {
        uid: '42',
        lon: 113.3,
        lat: 23.1,
        ts: NOW - 5000,
        crs: 'wgs84',
        speed: 1.5,
        accuracy: 65,
        altitude: 0,
        verticalAccuracy: 0,
        horizontalAccuracy: 65,
        heading: 270,
      },
    });
  });

  it.each<[string, Record<string, unknown>, Record<string, number>, string[]]>([
    ['unknown speed -1', { speed: -1 }, {}, ['speed']],
    ['speed 0', { speed: '0' }, { speed: 0 }, []],
    ['unknown heading -1', { heading: -1 }, {}, ['heading']],
    ['heading 0', { heading: 0 }, { heading: 0 }, []],
    ['heading 359.5', { direction: '359.5' }, { heading: 359.5 }, []],
    ['heading 360', { heading: 360 }, {}, ['heading']],
    ['heading 720', { heading: 720 }, {}, ['heading']],
    ['both unknown', { speed: '-1', direction: -1 }, {}, ['speed', 'heading']],
  ])('%s: the fix is kept, an out-of-range field dropped and reported', (_name, extra, kept, dropped) => {
    const r = parseRawFix(JSON.stringify({ uid: 1, longitude: 1, latitude: 1, ...extra }), NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect({ speed: r.value.speed, heading: r.value.heading }).toEqual({
      speed: kept.speed,
      heading: kept.heading,
    });
    expect(r.dropped ?? []).toEqual(dropped);
  });

  it('drops an unknown heading (-1) instead of storing a false direction', () => {
    const r = parseRawFix(JSON.stringify({ uid: 1, longitude: 1, latitude: 1, heading: -1 }), NOW);
    expect(r.ok && 'heading' in r.value).toBe(false);
  });
});

describe('parseRawFix refuses each class of bad input with a stable reason', () => {
  it.each([
    ['not JSON', 'hello {', 'not_json'],
    ['an array', '[1,2]', 'not_object'],
    ['a number', '42', 'not_object'],
    ['null', 'null', 'not_object'],
    ['no uid', JSON.stringify({ longitude: 1, latitude: 1 }), 'missing_uid'],
    ['empty uid', JSON.stringify({ uid: '', longitude: 1, latitude: 1 }), 'missing_uid'],
    ['object uid', JSON.stringify({ uid: { a: 1 }, longitude: 1, latitude: 1 }), 'bad_uid'],
    ['negative uid', JSON.stringify({ uid: -1, longitude: 1, latitude: 1 }), 'bad_uid'],
    ['uid with spaces', JSON.stringify({ uid: 'a b', longitude: 1, latitude: 1 }), 'bad_uid'],
    ['PHP empty longitude', JSON.stringify({ uid: 1, longitude: '', latitude: '23' }), 'missing_coordinates'],
    ['blank longitude', JSON.stringify({ uid: 1, longitude: '  ', latitude: '23' }), 'missing_coordinates'],
    [
      'blank latitude (tab)',
      JSON.stringify({ uid: 1, longitude: '1', latitude: '\t' }),
      'missing_coordinates',
    ],
    ['no latitude', JSON.stringify({ uid: 1, longitude: 1 }), 'missing_coordinates'],
    ['non-numeric', JSON.stringify({ uid: 1, longitude: 'abc', latitude: '23' }), 'bad_coordinates'],
    ['NaN string', JSON.stringify({ uid: 1, longitude: 'NaN', latitude: '23' }), 'bad_coordinates'],
    ['Infinity string', JSON.stringify({ uid: 1, longitude: 'Infinity', latitude: '23' }), 'bad_coordinates'],
    ['huge exponent', JSON.stringify({ uid: 1, longitude: '1e999', latitude: '23' }), 'bad_coordinates'],
    ['boolean', JSON.stringify({ uid: 1, longitude: true, latitude: 23 }), 'bad_coordinates'],
    ['latitude 91', JSON.stringify({ uid: 1, longitude: 1, latitude: 91 }), 'out_of_range'],
    ['longitude -180.5', JSON.stringify({ uid: 1, longitude: -180.5, latitude: 1 }), 'out_of_range'],
    ['ts in seconds', JSON.stringify({ uid: 1, longitude: 1, latitude: 1, ts: 1_764_000_000 }), 'bad_ts'],
    [
      'ts far future',
      JSON.stringify({ uid: 1, longitude: 1, latitude: 1, ts: NOW + 2 * 86_400_000 }),
      'bad_ts',
    ],
    ['unknown crs', JSON.stringify({ uid: 1, longitude: 1, latitude: 1, crs: 'mars' }), 'bad_field'],
    ['speed not a number', JSON.stringify({ uid: 1, longitude: 1, latitude: 1, speed: 'fast' }), 'bad_field'],
    [
      'oversized',
      JSON.stringify({ uid: 1, longitude: 1, latitude: 1, pad: 'x'.repeat(MAX_RAW_FIX_BYTES) }),
      'too_large',
    ],
  ])('%s → %s', (_name, message, reason) => {
    const r = parseRawFix(message, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });
});
