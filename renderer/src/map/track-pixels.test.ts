import { describe, expect, it } from 'vitest';
import { simplifyRange, toWorld } from './track-pixels.js';

describe('toWorld', () => {
  it.each([
    [0, 0, 0.5, 0.5],
    [0, 180, 1, 0.5],
    [85.0511287798, -180, 0, 0],
  ])('(%f, %f) → (%f, %f)', (lat, lon, x, y) => {
    const [wx, wy] = toWorld(lat, lon);
    expect(wx).toBeCloseTo(x, 9);
    expect(wy).toBeCloseTo(y, 9);
  });
});

describe('simplifyRange', () => {
  const world = { x: Float64Array.from([0, 0.1, 0.2, 3, 3.5, 10]), y: new Float64Array(6) };
  const view = { scale: 1, originX: 0, originY: 0 };
  it.each([
    [0, 6, 1, [0, 3, 5]],
    [0, 6, 0.05, [0, 1, 2, 3, 4, 5]],
    [2, 4, 100, [2, 3]],
    [4, 5, 1, [4]],
    [3, 3, 1, []],
  ])('[%i, %i) at %f px keeps %j', (start, end, minPx, expected) => {
    const out = new Uint32Array(6);
    const n = simplifyRange(world, start, end, view, minPx, out);
    expect([...out.subarray(0, n)]).toEqual(expected);
  });
});
