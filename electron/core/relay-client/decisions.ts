/**
 * Every decision of the relay client's state machine, as pure functions: what a close code means, what an
 * upgrade refusal means, when silence means a dead relay, whether an offset jump is a gap. client.ts only
 * carries them out. Each is tested by a table in decisions.test.ts.
 */
import { CloseCode } from '../../../protocol/codes.js';
import type { FixPosition } from '../../../protocol/fix.js';
import type { ConnectionState, StatusCode } from '../../../contract/station-api.js';
import { STATUS_CODES } from '../../../contract/station-api.js';

const CLOSE_CODE_NAMES: Record<number, StatusCode> = Object.fromEntries(
  Object.entries(CloseCode).map(([name, code]) => [code, name.toLowerCase() as StatusCode]),
);

/** The status code for a close code: its name when the relay uses it, `connection_closed` for any other. */
export function closeCodeName(code: number): StatusCode {
  return CLOSE_CODE_NAMES[code] ?? 'connection_closed';
}

function isStatusCode(code: string | undefined): code is StatusCode {
  return code !== undefined && (STATUS_CODES as readonly string[]).includes(code);
}

export type RetryDelay = 'soon' | 'backoff' | 'max_backoff' | 'none';

export interface CloseDecision {
  state: ConnectionState;
  /** How long to wait before the next attempt. */
  delay: RetryDelay;
  /** Ask the token provider for a fresh token before reconnecting. */
  refreshToken: boolean;
  /** Start the backoff sequence over (the relay is healthy, it asked us to come back). */
  resetAttempts: boolean;
  code: StatusCode;
  /** The close code number, when `code` alone does not say it. */
  detail?: string;
}

/** What to do when an open connection closes (or fails to open) with `code`. */
export function decideAfterClose(code: number): CloseDecision {
  const name = closeCodeName(code);
  const detail = name === 'connection_closed' ? { detail: `close ${code}` } : {};
  switch (code) {
    case CloseCode.SERVICE_RESTART:
      // The relay is draining: another instance (or this one, restarted) will take us shortly.
      return { state: 'reconnecting', delay: 'soon', refreshToken: false, resetAttempts: true, code: name };
    case CloseCode.SLOW_CONSUMER:
      // We fell behind; reconnecting re-watches with `since`, which is the catch-up.
      return { state: 'reconnecting', delay: 'soon', refreshToken: false, resetAttempts: true, code: name };
    case CloseCode.TOKEN_EXPIRED:
      return { state: 'reconnecting', delay: 'soon', refreshToken: true, resetAttempts: false, code: name };
    case CloseCode.POLICY_VIOLATION:
      // The relay thinks we abuse it: never come back in a tight loop.
      return {
        state: 'reconnecting',
        delay: 'max_backoff',
        refreshToken: false,
        resetAttempts: false,
        code: name,
      };
    default:
      return {
        state: 'reconnecting',
        delay: 'backoff',
        refreshToken: false,
        resetAttempts: false,
        code: name,
        ...detail,
      };
  }
}

/** Consecutive failed attempts after which "reconnecting" is shown as "offline": the relay is not coming back soon. */
export const OFFLINE_AFTER_ATTEMPTS = 3;

export function stateWhileRetrying(failedAttempts: number): ConnectionState {
  return failedAttempts >= OFFLINE_AFTER_ATTEMPTS ? 'offline' : 'reconnecting';
}

export interface UpgradeDecision {
  state: ConnectionState;
  /** Whether to keep retrying on our own; an unauthorized station waits for a new token instead. */
  retry: boolean;
  refreshToken: boolean;
  code: StatusCode;
  detail?: string;
}

/** The relay answered the websocket upgrade with an HTTP status instead of 101. */
export function decideUpgradeRefusal(status: number, authCode: string | undefined): UpgradeDecision {
  if (status === 401 || status === 403) {
    // An expired token may be fixed by the provider (it may mint or fetch a new one): try that once.
    const expired = authCode === 'token_expired';
    return {
      state: 'unauthorized',
      retry: expired,
      refreshToken: expired,
      ...(isStatusCode(authCode)
        ? { code: authCode }
        : { code: 'relay_http_error', detail: `HTTP ${status}` }),
    };
  }
  return {
    state: 'reconnecting',
    retry: true,
    refreshToken: false,
    code: 'relay_http_error',
    detail: `HTTP ${status}`,
  };
}

/** Silence longer than this after the last frame means the relay (or the path to it) is dead. */
export function heartbeatDeadlineMs(heartbeatMs: number): number {
  return Math.ceil(heartbeatMs * 2.5);
}

/**
 * What a heartbeat deadline that fired `lateMs` after its time means. Node runs due timers before it reads sockets,
 * so after the station's own event loop was busy past the deadline (a large SQLite batch, a burst of fixes on a
 * loaded machine) the deadline fires while the relay's frames of that time still wait unread in the socket: that
 * is not silence. A late deadline therefore waits one more heartbeat (`wait`), in which those frames are read and
 * re-arm it; only a deadline on time, or a second one, declares the relay dead.
 */
export function heartbeatVerdict(
  heartbeatMs: number,
  lateMs: number,
  alreadyWaited: boolean,
): { kind: 'dead' } | { kind: 'wait'; ms: number } {
  if (alreadyWaited || lateMs <= heartbeatMs / 2) return { kind: 'dead' };
  return { kind: 'wait', ms: heartbeatMs };
}

export type OffsetCheck =
  | { kind: 'first' }
  | { kind: 'next' }
  | { kind: 'old' }
  | { kind: 'gap'; from: number; to: number }
  | { kind: 'new_epoch' };

/**
 * Compare a live fix's position with the newest one we hold for its member. A jump of more than one offset in the
 * same epoch means fixes were lost in between (a relay failover, a dropped frame): ask for `range from..to`.
 */
export function checkOffset(held: FixPosition | undefined, incoming: FixPosition): OffsetCheck {
  if (!held) return { kind: 'first' };
  if (held.epoch !== incoming.epoch) return { kind: 'new_epoch' };
  if (incoming.offset <= held.offset) return { kind: 'old' };
  if (incoming.offset === held.offset + 1) return { kind: 'next' };
  return { kind: 'gap', from: held.offset + 1, to: incoming.offset - 1 };
}
