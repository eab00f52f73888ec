import { describe, expect, it } from 'vitest';
import { type Fix, isDecimalLiteral } from './fix.js';
import { fixJson } from './fix-json.js';

const BASE: Fix = { uid: '42', lat: 23.099994, lon: 113.32452, ts: 1_764_000_000_000, crs: 'gcj02' };

describe('fixJson writes what JSON.stringify writes', () => {
  it.each<[string, Fix]>([
    ['the minimal fix', BASE],
    ['negative and integral coordinates, -0', { ...BASE, uid: 'm-7.a:b_c', lat: -90, lon: -0, crs: 'wgs84' }],
    ['tiny and huge numbers', { ...BASE, lat: 1e-7, lon: 179.99999999999997, speed: 1e21 }],
    [
      'every optional field',
      {
        ...BASE,
        crs: 'bd09',
        speed: 1.5,
        accuracy: 65,
        altitude: 0,
        verticalAccuracy: 3,
        horizontalAccuracy: 65,
        heading: 270,
        cid: 'c-1',
        epoch: 'e"\\\u2028',
        offset: 7,
      },
    ],
    ['undefined optional fields are left out', { ...BASE, speed: undefined, cid: undefined }],
    ['a non-finite number becomes null', { ...BASE, speed: Number.NaN, accuracy: Infinity }],
  ])('%s', (_name, fix) => {
    expect(fixJson(fix)).toBe(JSON.stringify(fix));
  });
});

/** The pattern isDecimalLiteral replaces; every row must agree with it. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

describe('isDecimalLiteral agrees with the decimal literal pattern', () => {
  it.each([
    ['113.324520', true],
    ['-23.5', true],
    ['+7', true],
    ['5.', true],
    ['.5', true],
    ['1e5', true],
    ['1.5E-3', true],
    ['-.5e+2', true],
    ['0', true],
    ['', false],
    ['.', false],
    ['+', false],
    ['-.', false],
    ['e5', false],
    ['1e', false],
    ['1e+', false],
    ['1.2.3', false],
    ['0x10', false],
    ['Infinity', false],
    ['NaN', false],
    ['1 2', false],
    ['12a', false],
    ['++1', false],
    ['1e5.5', false],
    ['١٢', false],
  ])('%j → %s', (text, expected) => {
    expect(DECIMAL.test(text)).toBe(expected);
    expect(isDecimalLiteral(text)).toBe(expected);
  });
});
