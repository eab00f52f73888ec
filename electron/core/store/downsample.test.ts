import { describe, expect, it } from 'vitest';
import { downsample, lttbIndexes } from './downsample.js';
import { emptyColumns } from '../../../contract/track/columns.js';

describe('lttbIndexes', () => {
  it.each([
    [0, 10, []],
    [1, 10, [0]],
    [5, 10, [0, 1, 2, 3, 4]],
    [5, 5, [0, 1, 2, 3, 4]],
  ])('count %i, max %i: keeps everything', (count, max, expected) => {
    const xs = Array.from({ length: count }, (_, i) => i);
    expect([...lttbIndexes(xs, xs, count, max)]).toEqual(expected);
  });

  it.each([
    [1000, 100],
    [1000, 2],
    [86_400, 2000],
    [101, 3],
  ])('count %i to %i: ascending, first and last kept, at most max', (count, max) => {
    const xs = Array.from({ length: count }, (_, i) => i);
    const ys = xs.map((i) => Math.sin(i / 50));
    const out = lttbIndexes(xs, ys, count, max);
    expect(out.length).toBe(max);
    expect(out[0]).toBe(0);
    expect(out[out.length - 1]).toBe(count - 1);
    for (let i = 1; i < out.length; i++) expect(out[i]!).toBeGreaterThan(out[i - 1]!);
  });

  it('keeps a one-point spike that uniform sampling would drop', () => {
    const count = 1000;
    const xs = Array.from({ length: count }, (_, i) => i);
    const ys = xs.map((i) => (i === 537 ? 100 : 0));
    expect([...lttbIndexes(xs, ys, count, 20)]).toContain(537);
  });

  it('refuses fewer than two points', () => {
    expect(() => lttbIndexes([1, 2, 3], [1, 2, 3], 3, 1)).toThrow(RangeError);
  });
});

describe('downsample', () => {
  it('picks whole rows and marks the result', () => {
    const c = emptyColumns('7', 500);
    for (let i = 0; i < 500; i++) {
      c.ts[i] = 1000 * i;
      c.lat[i] = 30 + (i === 250 ? 1 : 0);
      c.lon[i] = 120 + i * 1e-4;
      c.speed[i] = i;
      c.crs[i] = i % 3;
    }
    c.count = c.totalCount = 500;
    const d = downsample(c, 50);
    expect(d).toMatchObject({ uid: '7', count: 50, downsampled: true, totalCount: 500 });
    for (let k = 0; k < d.count; k++) {
      const i = d.ts[k]! / 1000;
      expect(d.speed[k]).toBe(i);
      expect(d.crs[k]).toBe(i % 3);
    }
    expect([...d.lat]).toContain(31);
    expect(downsample(c, 500)).toBe(c);
  });
});
