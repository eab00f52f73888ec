import { describe, expect, it } from 'vitest';
import { outsideView, revealIndex } from './reveal.js';

describe('revealIndex', () => {
  const ts = new Float64Array([100, 200, 300]);
  it.each([
    // A stop's or gap's own fix time.
    [200, 3, 1],
    // Inside a gap: the last fix before it.
    [250, 3, 1],
    [999, 3, 2],
    // Before any data (a gap at the period's start): where the data starts.
    [50, 3, 0],
    [50, 0, -1],
  ])('time %d of %d fixes → %d', (time, count, expected) => {
    expect(revealIndex(ts, count, time)).toBe(expected);
  });
});

describe('outsideView', () => {
  it.each([
    [400, 300, false],
    [24, 24, false],
    [776, 576, false],
    // Off the map on each side.
    [-5, 300, true],
    [900, 300, true],
    [400, -1, true],
    [400, 700, true],
    // On the map but too near its edge for the marker to show whole.
    [10, 300, true],
    [400, 590, true],
  ])('(%d, %d) in 800×600 → %s', (x, y, expected) => {
    expect(outsideView(x, y, 800, 600, 24)).toBe(expected);
  });
});
