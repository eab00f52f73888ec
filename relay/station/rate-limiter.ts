/**
 * Token bucket for a station's control messages (watch, unwatch, auth, ping, ...). Pure arithmetic with an
 * injected clock. A message over the limit is answered `rate_limited` and ignored; a station that keeps sending far
 * past the limit (`abuseThreshold` refusals in a row) is closed with POLICY_VIOLATION.
 */
export interface RateLimiterOptions {
  ratePerSecond: number;
  burst: number;
  abuseThreshold?: number;
}

export type RateVerdict = 'allow' | 'refuse' | 'abuse';

export class ControlRateLimiter {
  private tokens: number;
  private last: number;
  private refusedInARow = 0;

  constructor(
    private readonly options: RateLimiterOptions,
    now: number,
  ) {
    this.tokens = options.burst;
    this.last = now;
  }

  take(now: number): RateVerdict {
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.options.burst, this.tokens + (elapsed / 1000) * this.options.ratePerSecond);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.refusedInARow = 0;
      return 'allow';
    }
    this.refusedInARow++;
    return this.refusedInARow >= (this.options.abuseThreshold ?? this.options.burst * 4) ? 'abuse' : 'refuse';
  }
}
