/**
 * The data-health strip: how many fixes a member sent per bucket of the period (a minute when the strip is wide
 * enough, coarser for long periods), so thin reporting and gaps are visible before anyone trusts a figure.
 */

/** Fixes per bucket over [from, to); fixes outside are not counted. */
export function fixesPerBucket(
  ts: Float64Array,
  count: number,
  from: number,
  to: number,
  bucketMs: number,
): Uint32Array {
  const buckets = Math.max(1, Math.ceil((to - from) / bucketMs));
  const out = new Uint32Array(buckets);
  for (let i = 0; i < count; i++) {
    const b = Math.floor((ts[i]! - from) / bucketMs);
    if (b >= 0 && b < buckets) out[b]!++;
  }
  return out;
}

/** A bucket of whole minutes giving at most `maxBuckets` buckets over the span. */
export function healthBucketMs(spanMs: number, maxBuckets: number): number {
  return Math.max(1, Math.ceil(spanMs / maxBuckets / 60_000)) * 60_000;
}
