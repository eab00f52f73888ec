import { describe, expect, it } from 'vitest';
import { followZoom } from './follow-zoom.js';

describe('followZoom', () => {
  it.each([
    [5, 18, 16],
    [15, 18, 16],
    [16, 18, 16],
    [17, 18, 17],
    [12, 14, 14],
    [15, 14, 15],
  ])('at zoom %i (basemap up to %i) following zooms to %i', (current, max, expected) => {
    expect(followZoom(current, max)).toBe(expected);
  });
});
