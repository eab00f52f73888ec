import { describe, expect, it } from 'vitest';
import { nextColor } from './member-colors.js';

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
