import { describe, expect, it } from 'vitest';
import { fixCounts } from '../../../contract/track/overview.js';
import { healthBucketMs, stripBuckets } from './health.js';

const MIN = 60_000;

describe('healthBucketMs', () => {
  it.each([
    [86_400_000, 1440, 60_000],
    [86_400_000, 600, 180_000],
    [3_600_000, 1000, 60_000],
  ])('a %i ms span in at most %i buckets: %i ms each', (span, max, expected) => {
    expect(healthBucketMs(span, max)).toBe(expected);
  });
});

describe('stripBuckets', () => {
  it.each([
    // [fix times, period from, to, strip from, to, max buckets] → strip start, bucket, counts
    [[0, 1, 59_999, 60_000, 179_999], 0, 180_000, 0, 179_999, 10, 0, MIN, [3, 1, 1]],
    [[0, 1, 59_999, 60_000, 179_999], 0, 180_000, 0, 179_999, 1, 0, 3 * MIN, [5]],
    [[30_000, 90_000, 150_000], 0, 180_000, 30_000, 150_000, 2, 0, MIN, [1, 1, 1]],
    [[], 0, 90_000, 0, 90_000, 10, 0, MIN, [0, 0]],
  ])('%j', (ts, from, to, stripFrom, stripTo, max, start, bucket, expected) => {
    const counts = fixCounts(Float64Array.from(ts), ts.length, from, to);
    const strip = stripBuckets(counts, stripFrom, stripTo, max);
    expect({ from: strip.from, bucketMs: strip.bucketMs, counts: [...strip.counts] }).toEqual({
      from: start,
      bucketMs: bucket,
      counts: expected,
    });
  });

  it('sums to the fixes in the strip whatever the counts’ bucket', () => {
    const ts = Float64Array.from({ length: 50_000 }, (_, i) => 1_700_000_000_000 + i * 7_919);
    const counts = fixCounts(ts, ts.length, ts[0]!, ts.at(-1)! + 1);
    for (const max of [720, 300, 7]) {
      const strip = stripBuckets(counts, ts[0]!, ts.at(-1)!, max);
      expect(strip.counts.reduce((a, b) => a + b, 0)).toBe(ts.length);
      expect(strip.bucketMs % counts.bucketMs).toBe(0);
      expect(strip.from % strip.bucketMs).toBe(0);
    }
  });
});
