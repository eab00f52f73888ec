/**
 * The relay client's waits between connection attempts, on top of the project's one backoff
 * (protocol/backoff.ts): which kind of wait each close decision asks for, and the short random window after a
 * relay says it is restarting.
 */
import { backoffDelay, type BackoffOptions } from '../../../protocol/backoff.js';

export type { BackoffOptions } from '../../../protocol/backoff.js';

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/** `random` is injectable so tables can pin it; attempt 0 is the first retry. */
export function backoff(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  return backoffDelay(attempt, options, random);
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
