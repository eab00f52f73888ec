/**
 * The data-health strip: how many fixes a member sent per bucket of the period (a minute when the strip is wide
 * enough, coarser for long periods), so thin reporting and gaps are visible before anyone trusts a figure.
 */
import type { FixCounts } from '../../../contract/track/overview.js';

/** A bucket of whole minutes giving at most `maxBuckets` buckets over the span. */
export function healthBucketMs(spanMs: number, maxBuckets: number): number {
  return Math.max(1, Math.ceil(spanMs / maxBuckets / 60_000)) * 60_000;
}

/**
 * The station's fix counts summed into the strip's buckets over [from, to]: at most about `maxBuckets` of them,
 * each a whole multiple of the counts' bucket and starting at a multiple of its own length, so every count
 * bucket falls in exactly one strip bucket (the bars are exact, not resampled).
 */
export function stripBuckets(counts: FixCounts, from: number, to: number, maxBuckets: number): FixCounts {
  const bucketMs = Math.ceil(healthBucketMs(to - from, maxBuckets) / counts.bucketMs) * counts.bucketMs;
  const start = Math.floor(from / bucketMs) * bucketMs;
  const out = new Uint32Array(Math.max(1, Math.floor(to / bucketMs) - start / bucketMs + 1));
  for (let k = 0; k < counts.counts.length; k++) {
    const c = counts.counts[k]!;
    if (c === 0) continue;
    const b = Math.floor((counts.from + k * counts.bucketMs - start) / bucketMs);
    if (b >= 0 && b < out.length) out[b]! += c;
  }
  return { from: start, bucketMs, counts: out };
}
