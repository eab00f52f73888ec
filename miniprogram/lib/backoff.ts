/**
 * Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"): the delay is uniform
 * in [0, min(cap, base·2^retry)]. Jitter spreads a fleet of stations (or a thousand phones that lost the network
 * in the same lift) so they do not all come back in the same millisecond.
 *
 * The one backoff of the project. It imports nothing and names no platform type, so every layer can use it: the
 * station core, the renderer, and the mini-program, which cannot load code outside its own folder at run time
 * and so carries a verbatim copy (miniprogram/lib/backoff.ts; protocol/backoff.test.ts checks they are the same).
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** `retry` 0 is the first retry. `random` returns [0, 1) and is injectable so tables can pin it. */
export function backoffDelay(
  retry: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  // 2^30 already dwarfs any cap, and clamping avoids Infinity; nonsense retries behave like the first.
  const safeRetry = Number.isFinite(retry) ? Math.max(0, Math.min(Math.floor(retry), 30)) : 30;
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** safeRetry);
  return Math.floor(random() * ceiling);
}
