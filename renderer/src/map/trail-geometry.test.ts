import { describe, expect, it } from 'vitest';
import { appendThinned, mercatorPixel, trimBefore } from './trail-geometry.js';

describe('appendThinned (min step 2 px)', () => {
  it.each([
    ['first points are kept', [], [[0, 0]], [0, 0]],
    [
      'a far point is added',
      [
        [0, 0],
        [10, 0],
      ],
      [[20, 0]],
      [0, 0, 10, 0, 20, 0],
    ],
    [
      'a near point after a far one is added (it is the newest)',
      [
        [0, 0],
        [10, 0],
      ],
      [[11, 0]],
      [0, 0, 10, 0, 11, 0],
    ],
    [
      'then the next near point moves the tail instead',
      [
        [0, 0],
        [10, 0],
        [11, 0],
      ],
      [[11.5, 0]],
      [0, 0, 10, 0, 11.5, 0],
    ],
    [
      'a far point after a near tail is added again',
      [
        [0, 0],
        [10, 0],
        [11, 0],
      ],
      [[30, 0]],
      [0, 0, 10, 0, 11, 0, 30, 0],
    ],
  ] as const)('%s', (_name, existing, added, expected) => {
    const xy: number[] = [];
    const ts: number[] = [];
    let t = 0;
    for (const [x, y] of [...existing, ...added]) appendThinned(xy, ts, x, y, t++, 2);
    expect(xy).toEqual(expected);
    expect(ts).toHaveLength(expected.length / 2);
  });
});

describe('trimBefore', () => {
  it('drops points older than the oldest kept time', () => {
    const xy = [0, 0, 1, 1, 2, 2];
    const ts = [10, 20, 30];
    trimBefore(xy, ts, 20);
    expect([xy, ts]).toEqual([
      [1, 1, 2, 2],
      [20, 30],
    ]);
  });
});

describe('mercatorPixel', () => {
  it.each([
    [0, 0, 0, 128, 128],
    [0, 180, 0, 256, 128],
    [85.0511287798, -180, 1, 0, 0],
    [-89, 0, 2, 512, 1024],
  ])('lat %f lon %f zoom %i → %f, %f', (lat, lon, zoom, x, y) => {
    const [px, py] = mercatorPixel(lat, lon, zoom);
    expect(px).toBeCloseTo(x, 6);
    expect(py).toBeCloseTo(y, 4);
  });
});
