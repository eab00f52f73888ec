import { describe, expect, it } from 'vitest';
import { MEMBER_COLORS } from '../../../contract/member-colors.js';
import { colorDistance, GAP_RGB, HOLE_RGB, MIN_DISTANCE_FROM_GAPS, rgbOf } from './health-colors.js';

describe('colorDistance', () => {
  it.each([
    ['#d32f2f', '#d32f2f', 0],
    // The old palette's first colour against gap red, and its maroon against the lost-span red.
    ['#e6194b', '#d32f2f', 68],
    ['#800000', '#780000', 13],
    ['#000000', '#ffffff', 765],
  ])('%s to %s ≈ %i', (a, b, expected) => {
    expect(colorDistance(rgbOf(a), rgbOf(b))).toBeCloseTo(expected, 0);
  });
});

describe('member palette', () => {
  it.each(MEMBER_COLORS.map((c) => [c]))('%s is clear of the gap and lost-span reds', (color) => {
    expect(colorDistance(rgbOf(color), GAP_RGB)).toBeGreaterThan(MIN_DISTANCE_FROM_GAPS);
    expect(colorDistance(rgbOf(color), HOLE_RGB)).toBeGreaterThan(MIN_DISTANCE_FROM_GAPS);
  });
});
