/**
 * fixProblem / knownFields hold to protocol's `fixSchema`: the same verdict on every value of the table, and the
 * same object (known fields only, in the schema's order) for the ones accepted.
 */
import { describe, expect, it } from 'vitest';
import { fixSchema } from './fix.js';
import { fixProblem, knownFields } from './fix-check.js';

const base = { uid: '42', lat: 23.1, lon: 113.3, ts: 1_700_000_000_000, crs: 'gcj02' };
const positioned = { ...base, epoch: 'e1', offset: 7 };
const positionedSchema = fixSchema.required({ epoch: true, offset: true });

const values: [string, unknown][] = [
  ['minimal', base],
  ['positioned', positioned],
  [
    'all optional fields',
    {
      ...positioned,
      speed: 1.5,
      accuracy: 10,
      altitude: -3,
      verticalAccuracy: 2,
      horizontalAccuracy: 5,
      heading: 90,
      cid: 'c-1',
    },
  ],
  ['extra field', { ...positioned, secret: 'x' }],
  ['null', null],
  ['array', [positioned]],
  ['string', 'fix'],
  ['numeric uid', { ...positioned, uid: 42 }],
  ['uid with a brace', { ...positioned, uid: '4{2}' }],
  ['empty uid', { ...positioned, uid: '' }],
  ['uid of 65', { ...positioned, uid: 'u'.repeat(65) }],
  ['lat 91', { ...positioned, lat: 91 }],
  ['lat -90', { ...positioned, lat: -90 }],
  ['lon -180.1', { ...positioned, lon: -180.1 }],
  ['lat NaN', { ...positioned, lat: Number.NaN }],
  ['lat string', { ...positioned, lat: '23.1' }],
  ['lon Infinity', { ...positioned, lon: Number.POSITIVE_INFINITY }],
  ['ts fractional', { ...positioned, ts: 1.5 }],
  ['ts negative', { ...positioned, ts: -1 }],
  ['ts string', { ...positioned, ts: '1700000000000' }],
  ['crs unknown', { ...positioned, crs: 'utm' }],
  ['crs upper case', { ...positioned, crs: 'GCJ02' }],
  ['speed string', { ...positioned, speed: '1' }],
  ['heading NaN', { ...positioned, heading: Number.NaN }],
  ['cid number', { ...positioned, cid: 5 }],
  ['cid of 65', { ...positioned, cid: 'c'.repeat(65) }],
  ['epoch empty', { ...positioned, epoch: '' }],
  ['epoch of 65', { ...positioned, epoch: 'e'.repeat(65) }],
  ['epoch number', { ...positioned, epoch: 1 }],
  ['offset 0', { ...positioned, offset: 0 }],
  ['offset fractional', { ...positioned, offset: 1.5 }],
  ['offset missing', { ...base, epoch: 'e1' }],
  ['epoch missing', { ...base, offset: 1 }],
];

describe('fixProblem', () => {
  it.each(values)('positioned: %s', (_name, value) => {
    const expected = positionedSchema.safeParse(value);
    const problem = fixProblem(value, true);
    expect(problem === undefined).toBe(expected.success);
    if (expected.success) {
      const clean = knownFields(value as never);
      expect(clean).toEqual(expected.data);
      expect(Object.keys(clean)).toEqual(Object.keys(expected.data));
    }
  });

  it.each(values)('unpositioned: %s', (_name, value) => {
    const expected = fixSchema.safeParse(value);
    expect(fixProblem(value, false) === undefined).toBe(expected.success);
  });
});
