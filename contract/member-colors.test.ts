import { describe, expect, it } from 'vitest';
import { nextColor, nextColors } from './member-colors.js';

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
    expect(nextColor([])).toBe('#3cb44b');
  });
});

describe('nextColors', () => {
  it.each([
    [[], 3],
    [['#E6194B', '#3cb44b'], 30],
    [['#123456', '#e6194b', '#e6194b'], 14],
  ])('with %j used, %i colours are what nextColor gives one by one', (used, count) => {
    const oneByOne: string[] = [];
    for (let i = 0; i < count; i++) oneByOne.push(nextColor([...used, ...oneByOne]));
    expect(nextColors(used, count)).toEqual(oneByOne);
  });
});
