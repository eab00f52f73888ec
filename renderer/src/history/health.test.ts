import { describe, expect, it } from 'vitest';
import { fixesPerBucket, healthBucketMs } from './health.js';

describe('fixesPerBucket', () => {
  it.each([
    [[0, 1, 59_999, 60_000, 179_999], 0, 180_000, 60_000, [3, 1, 1]],
    [[-1, 180_000], 0, 180_000, 60_000, [0, 0, 0]],
    [[], 0, 90_000, 60_000, [0, 0]],
  ])('%j over [%i, %i) by %i → %j', (ts, from, to, bucket, expected) => {
    expect([...fixesPerBucket(Float64Array.from(ts), ts.length, from, to, bucket)]).toEqual(expected);
  });

  it.each([
    [86_400_000, 1440, 60_000],
    [86_400_000, 600, 180_000],
    [3_600_000, 1000, 60_000],
  ])('a %i ms span in at most %i buckets: %i ms each', (span, max, expected) => {
    expect(healthBucketMs(span, max)).toBe(expected);
  });
});
