import { describe, expect, it } from 'vitest';
import { isHexColor, nextColor } from './colors.js';

const P = ['#aa0000', '#00aa00', '#0000aa'];

describe('nextColor', () => {
  it.each([
    [[], '#aa0000'],
    [['#aa0000'], '#00aa00'],
    [['#00AA00'], '#aa0000'],
    [['#aa0000', '#00aa00'], '#0000aa'],
    [['#aa0000', '#00aa00', '#0000aa'], '#aa0000'],
    [['#aa0000', '#00aa00', '#0000aa', '#aa0000'], '#00aa00'],
    [['#123456'], '#aa0000'],
  ])('used %j → %s', (used, expected) => {
    expect(nextColor(used, P)).toBe(expected);
  });

  it('uses the default palette', () => {
    expect(nextColor([])).toBe('#e6194b');
  });
});

describe('isHexColor', () => {
  it.each([
    ['#12abEF', true],
    ['#123', false],
    ['red', false],
    ['#1234567', false],
  ])('%s → %s', (value, expected) => {
    expect(isHexColor(value)).toBe(expected);
  });
});
