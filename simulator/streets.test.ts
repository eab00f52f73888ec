import { describe, expect, it } from 'vitest';
import { planeDistance } from './plane.js';
import { createRandom } from './random.js';
import {
  advanceAlongStreets,
  chooseAtCrossing,
  nextLineIndex,
  randomStreetPosition,
  type StreetGrid,
  streetLine,
  streetPoint,
  type StreetPosition,
} from './streets.js';

const grid: StreetGrid = { seed: 3, blockM: 200, angleRad: 0.3, radiusM: 2_000 };

describe('street grid', () => {
  it('lines of each family are strictly increasing and between half and one and a half blocks apart', () => {
    for (const axis of [0, 1] as const) {
      for (let i = -50; i < 50; i++) {
        const gap = streetLine(grid, axis, i + 1) - streetLine(grid, axis, i);
        expect(gap).toBeGreaterThan(grid.blockM * 0.5);
        expect(gap).toBeLessThan(grid.blockM * 1.5);
      }
    }
  });

  it.each([
    [0, 1],
    [0, -1],
    [1234.5, 1],
    [-777, -1],
  ] as const)('nextLineIndex(%d, %d) finds the first line strictly past the point', (along, sign) => {
    const i = nextLineIndex(grid, 0, along, sign);
    expect(sign * (streetLine(grid, 0, i) - along)).toBeGreaterThan(0);
    expect(sign * (streetLine(grid, 0, i - sign) - along)).toBeLessThanOrEqual(0);
    // On a line, the next one is the one after it.
    const on = streetLine(grid, 0, i);
    expect(nextLineIndex(grid, 0, on, sign)).toBe(i + sign);
  });

  it('a turn keeps the member at the crossing and heads it to a neighbouring line', () => {
    const random = createRandom(1);
    const start: StreetPosition = {
      axis: 0,
      sign: 1,
      along: streetLine(grid, 0, 4),
      crossIndex: 2,
      nextIndex: 4,
    };
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const next = chooseAtCrossing(grid, start, random);
      expect(planeDistance(streetPoint(grid, next), streetPoint(grid, start))).toBeLessThan(1e-9);
      const toNext = streetLine(grid, next.axis, next.nextIndex) - next.along;
      expect(Math.sign(toNext)).toBe(next.sign);
      seen.add(`${next.axis}${next.sign}`);
    }
    expect(seen).toEqual(new Set(['01', '11', '1-1', '0-1']));
  });

  it('advancing covers exactly the distance asked, along axis-parallel legs joined at the bends', () => {
    const random = createRandom(2);
    let at = randomStreetPosition(grid, random, 1_000);
    for (let step = 0; step < 2_000; step++) {
      const distance = 20 + random.next() * 400;
      const from = streetPoint(grid, at);
      const moved = advanceAlongStreets(grid, at, distance, random);
      const points = [from, ...moved.bends.map((b) => b.point), streetPoint(grid, moved.at)];
      let length = 0;
      for (let i = 1; i < points.length; i++) length += planeDistance(points[i - 1]!, points[i]!);
      expect(length).toBeCloseTo(distance, 6);
      // The afterM of each bend is the path length up to it.
      let upTo = 0;
      moved.bends.forEach((bend, i) => {
        upTo += planeDistance(points[i]!, points[i + 1]!);
        expect(bend.afterM).toBeCloseTo(upTo, 6);
      });
      at = moved.at;
    }
  });

  it('members stay near the area: after 500 km of driving, never past twice its radius', () => {
    const random = createRandom(4);
    let at = randomStreetPosition(grid, random, 1_000);
    let farthest = 0;
    for (let step = 0; step < 5_000; step++) {
      at = advanceAlongStreets(grid, at, 100, random).at;
      const p = streetPoint(grid, at);
      farthest = Math.max(farthest, Math.hypot(p.x, p.y));
    }
    expect(farthest).toBeLessThan(grid.radiusM * 2);
    expect(farthest).toBeGreaterThan(grid.radiusM * 0.5);
  });
});
