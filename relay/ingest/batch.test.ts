import { describe, expect, it } from 'vitest';
import { batchItems, namesAnotherMember, validateItems } from './batch.js';

const NOW = 1_760_000_000_000;
const fix = { longitude: 113.3, latitude: 23.1 };

describe('batchItems', () => {
  it.each<[string, unknown, number | string]>([
    ['one fix', fix, 1],
    ['an array', [fix, fix], 2],
    ['{fixes}', { fixes: [fix, fix, fix] }, 3],
    ['an empty array', [], 'bad_body'],
    ['{fixes: []}', { fixes: [] }, 'bad_body'],
    ['{fixes: "x"}', { fixes: 'x' }, 'bad_body'],
    ['a string', 'hello', 'bad_body'],
    ['null', null, 'bad_body'],
    ['a number', 42, 'bad_body'],
    ['too long', Array.from({ length: 4 }, () => fix), 'batch_too_long'],
  ])('%s', (_name, body, expected) => {
    const result = batchItems(body, 3);
    if (typeof expected === 'number') expect(result).toMatchObject({ ok: true, items: { length: expected } });
    else expect(result).toMatchObject({ ok: false, code: expected });
  });
});

describe('namesAnotherMember', () => {
  it.each<[string, unknown[], boolean]>([
    ['no uid', [fix], false],
    ['own uid as number', [{ ...fix, uid: 42 }], false],
    ['own uid as string', [{ ...fix, uid: '42' }], false],
    ['empty uid (PHP default)', [{ ...fix, uid: '' }], false],
    ['another uid', [{ ...fix, uid: 43 }], true],
    ['another uid later in the batch', [fix, { ...fix, uid: '7' }], true],
    ['a leading zero is another uid', [{ ...fix, uid: '042' }], true],
    ['non-objects are left to validation', ['x', null, 3], false],
  ])('%s', (_name, items, expected) => {
    expect(namesAnotherMember(items, '42')).toBe(expected);
  });
});

describe('validateItems', () => {
  it('keeps good fixes in order with their index, refuses bad ones with a stable reason', () => {
    const result = validateItems(
      [
        { ...fix, cid: 'd1:1', ts: NOW - 1000 },
        { longitude: 'abc', latitude: 1 },
        'not a fix',
        { latitude: 1 },
        { ...fix, latitude: 123 },
        { ...fix, cid: 'd1:2' },
      ],
      '42',
      NOW,
    );
    expect(result.fixes).toEqual([
      { index: 0, fix: { uid: '42', lon: 113.3, lat: 23.1, ts: NOW - 1000, crs: 'gcj02', cid: 'd1:1' } },
      { index: 5, fix: { uid: '42', lon: 113.3, lat: 23.1, ts: NOW, crs: 'gcj02', cid: 'd1:2' } },
    ]);
    expect(result.refused.map((r) => [r.index, r.reason])).toEqual([
      [1, 'bad_coordinates'],
      [2, 'not_object'],
      [3, 'missing_coordinates'],
      [4, 'out_of_range'],
    ]);
  });
});
