/**
 * Control messages leave at a pace the relay accepts. The relay answers a station over its control rate with
 * `rate_limited` (the message is ignored) and closes one that keeps going (1008), so the station keeps its own
 * token bucket a margin below the relay's: a bulk watch of thousands of members, gap ranges and history pages
 * queue here instead of being refused there.
 */

export interface PaceLimits {
  ratePerSecond: number;
  burst: number;
}

/** The relay's defaults (RELAY_CONTROL_RATE 20, RELAY_CONTROL_BURST 60), used when its welcome does not say. */
export const RELAY_DEFAULT_PACE: PaceLimits = { ratePerSecond: 20, burst: 60 };

/** What the station allows itself of the relay's limits: room for pings and token refreshes it does not queue. */
export function stationPace(relay: PaceLimits): PaceLimits {
  return {
    ratePerSecond: Math.max(1, Math.floor(relay.ratePerSecond * 0.5)),
    burst: Math.max(1, Math.floor(relay.burst * 0.5)),
  };
}

/** Pure token bucket: how long until `take` can succeed, and the bucket after taking. */
export interface Bucket {
  tokens: number;
  at: number;
}

export function refill(bucket: Bucket, limits: PaceLimits, now: number): Bucket {
  const elapsed = Math.max(0, now - bucket.at);
  return { tokens: Math.min(limits.burst, bucket.tokens + (elapsed / 1000) * limits.ratePerSecond), at: now };
}

/** Milliseconds until one token is available (0: now). */
export function waitForToken(bucket: Bucket, limits: PaceLimits): number {
  return bucket.tokens >= 1 ? 0 : Math.ceil(((1 - bucket.tokens) / limits.ratePerSecond) * 1000);
}

export class Pacer<M> {
  private bucket: Bucket;
  private readonly queue: M[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly limits: PaceLimits,
    private readonly write: (message: M) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.bucket = { tokens: limits.burst, at: now() };
  }

  get queued(): number {
    return this.queue.length;
  }

  send(message: M): void {
    if (this.closed) return;
    this.queue.push(message);
    this.drain();
  }

  /** Drop what is queued: the connection is gone, the next session sends afresh. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.queue.length = 0;
  }

  private drain(): void {
    if (this.timer !== undefined) return;
    while (this.queue.length > 0) {
      this.bucket = refill(this.bucket, this.limits, this.now());
      const wait = waitForToken(this.bucket, this.limits);
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.drain();
        }, wait);
        return;
      }
      this.bucket.tokens -= 1;
      this.write(this.queue.shift()!);
    }
  }
}
