/**
 * When to warn a station that its token expires and when to close it. Pure: the app arms timers from it.
 */
export interface TokenTimes {
  /** Delay until `token_expiring` is sent; undefined if it should go out now. */
  warnInMs: number;
  /** Delay until the connection is closed with TOKEN_EXPIRED. */
  expireInMs: number;
}

export function tokenTimes(expiresAt: number, now: number, leadMs: number): TokenTimes {
  const expireInMs = Math.max(0, expiresAt - now);
  return { warnInMs: Math.max(0, expireInMs - leadMs), expireInMs };
}
