/**
 * Retry delays with "full jitter" (AWS Architecture Blog, "Exponential Backoff and Jitter"): a random delay
 * between 0 and an exponentially growing cap, so a thousand phones that lost the network in the same lift do not
 * all come back in the same second.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 60_000 };

/** Delay before retry number `attempt` (1 for the first retry). `random` returns [0, 1). */
export function fullJitterDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * cap);
}
