/**
 * What to do with one fix for one connection, given how far behind its socket is. Pure, so the policy is tested by
 * a table; the outbox applies it.
 *
 * - `send`: the socket keeps up and nothing is waiting: write now.
 * - `hold`: the socket is behind (above the soft limit) or older fixes are already waiting: put it in the outbox,
 *   where it replaces any older waiting fix of the same member (coalescing: a slow station gets every member's
 *   latest position, not a growing queue).
 * - `close`: the backlog passed the hard limit, or the station has been behind for longer than `slowTimeoutMs`:
 *   close with SLOW_CONSUMER.
 */
export interface BackpressureLimits {
  softBytes: number;
  hardBytes: number;
  /** A station continuously behind for this long is closed even if its backlog is small (it is not reading). */
  slowTimeoutMs: number;
}

export interface BacklogState {
  /** ws.bufferedAmount: bytes handed to the socket but not yet written to the kernel. */
  bufferedBytes: number;
  /** Bytes of fixes waiting in the outbox. */
  outboxBytes: number;
  /** Since when the connection has been behind (ms), or undefined if it is not. */
  behindSince: number | undefined;
  now: number;
}

export type BackpressureDecision = 'send' | 'hold' | 'close';

export function decideDelivery(state: BacklogState, limits: BackpressureLimits): BackpressureDecision {
  if (state.bufferedBytes + state.outboxBytes > limits.hardBytes) return 'close';
  if (state.behindSince !== undefined && state.now - state.behindSince > limits.slowTimeoutMs) return 'close';
  if (state.outboxBytes > 0 || state.bufferedBytes > limits.softBytes) return 'hold';
  return 'send';
}
