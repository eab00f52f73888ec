/**
 * The name the relay gives each of its Redis connections (CLIENT SETNAME), so operators find them in CLIENT LIST
 * and can CLIENT KILL them by name (docs/deploy.md). ioredis's own `connectionName` sends the name in its handshake
 * but ignores the answer: a connection that reconnects while Redis refuses its user (NOAUTH, WRONGPASS) and is let
 * in again before the handshake's ready check came up ready without a name, invisible to a kill by name. Here the
 * name is sent in the handshake too, and its answer decides whether the connection counts as set up.
 */
import type { Redis } from 'ioredis';

export const RELAY_CONNECTION_NAME = 'lodestar-relay';

/**
 * What a handshake's CLIENT SETNAME answer means for the connection:
 * - `named`: set up;
 * - `reconnect`: Redis refused the user; a later attempt may be let in, and becoming ready now would leave it
 *   unnamed (and, in a subscriber, the name cannot be set once it has subscribed);
 * - `unnamed`: any other refusal (an ACL without `client|setname`, a Redis-like server without the command): it would
 *   refuse again on every attempt, and a missing label is no reason to keep the relay off Redis.
 */
export type NameOutcome = 'named' | 'reconnect' | 'unnamed';

export function nameOutcome(error: Error | undefined): NameOutcome {
  if (!error) return 'named';
  if (/^(NOAUTH|WRONGPASS)\b/.test(error.message)) return 'reconnect';
  return 'unnamed';
}

export interface NamedConnection {
  /** The current connection's name answer came (named, or unnamed for good); false again once it closes. */
  settled(): boolean;
}

/**
 * Name `conn` at every (re)connect, in its handshake: sent on 'connect', it goes out before ioredis's ready check
 * (INFO, sent once the handshake's own commands are answered) and so before a subscriber resubscribes.
 * `onChange` runs when `settled()` turns true; `onUnnamed` when Redis refused the name for another reason.
 * Pass the connection without ioredis's `connectionName`, or the name goes out twice.
 */
export function keepNamed(
  conn: Redis,
  onChange: () => void,
  onUnnamed: (error: Error) => void,
): NamedConnection {
  // Bumped at every connect and close, so an answer for an earlier attempt (or its rejection when that attempt's
  // connection closed) is not taken for the current one.
  let attempt = 0;
  let settled = false;
  conn.on('close', () => {
    attempt++;
    settled = false;
  });
  conn.on('connect', () => {
    const mine = ++attempt;
    settled = false;
    // Closed again already: with an offline queue the command would wait and go out after a subscriber resubscribed.
    if (conn.status !== 'connect') return;
    conn.client('SETNAME', RELAY_CONNECTION_NAME).then(
      () => answered(mine, undefined),
      (error: Error) => answered(mine, error),
    );
  });
  const answered = (mine: number, error: Error | undefined) => {
    if (mine !== attempt) return;
    const outcome = nameOutcome(error);
    if (outcome === 'reconnect') {
      conn.disconnect(true);
      return;
    }
    if (outcome === 'unnamed') onUnnamed(error!);
    settled = true;
    onChange();
  };
  return { settled: () => settled };
}
