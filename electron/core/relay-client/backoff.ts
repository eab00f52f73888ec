/**
 * Full-jitter exponential backoff (AWS architecture blog, "Exponential Backoff And Jitter"): the delay is uniform
 * in [0, min(cap, base·2^attempt)]. Jitter spreads a fleet of stations reconnecting after a relay restart, so
 * they do not all arrive in the same millisecond.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/** `random` is injectable so tables can pin it; attempt 0 is the first retry. */
export function backoff(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const safeAttempt = Math.max(0, Math.min(attempt, 30)); // 2^30 already dwarfs any cap; avoids Infinity.
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** safeAttempt);
  return Math.floor(random() * ceiling);
}

/** After a relay says it is restarting (1012): come back soon, at a random moment within this window. */
export const RESTART_WINDOW_MS = { min: 250, max: 2_000 };

export function restartDelay(random: () => number = Math.random): number {
  return Math.floor(RESTART_WINDOW_MS.min + random() * (RESTART_WINDOW_MS.max - RESTART_WINDOW_MS.min));
}

/** The wait before the next attempt, for each kind of delay a close decision asks for. */
export function retryDelay(
  kind: 'soon' | 'backoff' | 'max_backoff' | 'none',
  failedAttempts: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  switch (kind) {
    case 'soon':
      return restartDelay(random);
    case 'max_backoff':
      return backoff(Number.MAX_SAFE_INTEGER, options, random);
    case 'backoff':
      return backoff(failedAttempts, options, random);
    case 'none':
      return 0;
  }
}
