import { describe, expect, it } from 'vitest';
import { createRandom, forkRandom, gaussian, hash01, integer, mix32, weightedIndex } from './random.js';

const draw = (seed: number, n: number) => {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => random.next());
};

describe('seeded random source', () => {
  it.each([0, 1, 42, 2 ** 40 + 7, -5])(
    'seed %d gives the same sequence every time, within [0, 1)',
    (seed) => {
      const a = draw(seed, 1000);
      expect(draw(seed, 1000)).toEqual(a);
      expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...a)).toBeLessThan(1);
    },
  );

  it('different seeds and forks give different sequences', () => {
    expect(draw(1, 5)).not.toEqual(draw(2, 5));
    const a = forkRandom(7, 1);
    const b = forkRandom(7, 2);
    expect([a.next(), a.next()]).not.toEqual([b.next(), b.next()]);
    expect(mix32(1, 2)).not.toBe(mix32(2, 1));
  });

  it('is uniform enough: ten bins of 100,000 draws each hold 10 % ± 0.5 %', () => {
    const bins = new Array<number>(10).fill(0);
    for (const x of draw(3, 100_000)) bins[Math.floor(x * 10)]!++;
    for (const count of bins) expect(Math.abs(count / 100_000 - 0.1)).toBeLessThan(0.005);
  });

  it('gaussian has mean 0 and variance 1 (± 0.02 over 100,000 draws)', () => {
    const random = createRandom(9);
    const xs = Array.from({ length: 100_000 }, () => gaussian(random));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });

  it.each([
    [0, 0],
    [0, 1],
    [-3, 3],
  ])('integer(%d, %d) covers both ends and nothing outside', (min, max) => {
    const random = createRandom(5);
    const seen = new Set(Array.from({ length: 2000 }, () => integer(random, min, max)));
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: max - min + 1 }, (_, i) => min + i));
  });

  it('weightedIndex never picks a zero weight and follows the weights', () => {
    const random = createRandom(11);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[weightedIndex(random, [1, 0, 3])]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.7);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.3);
  });

  it('hash01 is a pure function of its inputs', () => {
    expect(hash01(1, 0, 5)).toBe(hash01(1, 0, 5));
    expect(hash01(1, 0, 5)).not.toBe(hash01(1, 1, 5));
  });
});
