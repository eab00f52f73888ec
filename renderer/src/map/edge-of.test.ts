import { describe, expect, it } from 'vitest';
import { edgeOf } from './edge-of.js';

const view = { south: 39, west: 116, north: 40, east: 117 };

describe('edgeOf', () => {
  it.each([
    [39.5, 116.5, undefined],
    [40, 117, undefined],
    [40.2, 116.5, 'north'],
    [38.5, 116.5, 'south'],
    [39.5, 117.3, 'east'],
    [39.5, 115.9, 'west'],
    // Past a corner, the larger overshoot decides.
    [40.1, 117.5, 'east'],
    [40.5, 117.1, 'north'],
  ] as const)('%f, %f → %s', (lat, lon, expected) => {
    expect(edgeOf(lat, lon, view)).toBe(expected);
  });
});
