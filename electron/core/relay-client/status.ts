/**
 * The relay connection's status as a pure reducer: every event the connection and its session report, folded into
 * the one status the station shows. Here, and only here, is decided when `since` moves (the state changed), when
 * a retry time is shown (only while a retry is scheduled) and which code names the situation.
 */
import type { BackfillProgress, ConnectionState, StatusCode } from '../../../contract/station-api.js';

export interface RelayStatus {
  state: ConnectionState;
  /** English detail for logs and tooltips; the renderer translates `code`. */
  reason?: string;
  code?: StatusCode;
  detail?: string;
  since: number;
  relayUrl: string;
  relayDegraded?: boolean;
  nextRetryAt?: number;
  tokenExpiresAt?: number;
  /** When the station got the token that expires at `tokenExpiresAt`: the part of its life the station knows. */
  tokenReceivedAt?: number;
  backfill?: BackfillProgress[];
  /** Members whose missed fixes the relay may still be sending (absent when none). */
  catchingUp?: number;
}

export type StatusEvent =
  /** An attempt starts; the first since the last success shows as `connecting`, later ones keep the retry state. */
  | { type: 'connecting'; firstAttempt: boolean }
  | { type: 'welcome'; relayId: string; degraded: boolean; expiresAt: number }
  /** The connection ended or failed to open, and another attempt is scheduled. */
  | {
      type: 'retrying';
      state: ConnectionState;
      code: StatusCode;
      reason: string;
      detail?: string;
      nextRetryAt: number;
    }
  /** Nothing will happen until something changes (new token, new URL, start). */
  | { type: 'halted'; state: ConnectionState; code: StatusCode; reason: string; detail?: string }
  | {
      type: 'token_expiring';
      code: 'token_expiring' | 'token_expired' | 'bad_token';
      reason: string;
      expiresAt?: number;
    }
  | { type: 'token_refreshed'; expiresAt: number }
  | { type: 'relay_status'; degraded: boolean; reason?: string }
  | { type: 'backfill'; progress: readonly BackfillProgress[] }
  | { type: 'catching_up'; members: number };

export function initialStatus(relayUrl: string, now: number): RelayStatus {
  return { state: 'offline', code: 'not_started', reason: 'not started', since: now, relayUrl };
}

export function reduceStatus(current: RelayStatus, event: StatusEvent, now: number): RelayStatus {
  const next = applyEvent(current, event);
  next.since = next.state !== current.state ? now : current.since;
  // A new expiry is a new token (or a refreshed one): its known life starts now.
  if (next.tokenExpiresAt === undefined) delete next.tokenReceivedAt;
  else if (next.tokenExpiresAt !== current.tokenExpiresAt) next.tokenReceivedAt = now;
  // A retry time is shown only while one is scheduled.
  if (event.type !== 'retrying' && event.type !== 'connecting') delete next.nextRetryAt;
  for (const key of Object.keys(next) as (keyof RelayStatus)[]) if (next[key] === undefined) delete next[key];
  return next;
}

function applyEvent(current: RelayStatus, event: StatusEvent): RelayStatus {
  const { detail: _detail, ...withoutDetail } = current;
  switch (event.type) {
    case 'connecting':
      return event.firstAttempt
        ? { ...withoutDetail, state: 'connecting', code: 'connecting', reason: 'connecting to the relay' }
        : { ...current };
    case 'welcome':
      return {
        ...withoutDetail,
        state: 'connected',
        code: 'welcome',
        reason: `connected to relay ${event.relayId}`,
        relayDegraded: event.degraded,
        tokenExpiresAt: event.expiresAt,
      };
    case 'retrying':
    case 'halted': {
      // A catch-up ends with its connection; the next one starts its own.
      const { relayDegraded: _degraded, catchingUp: _catchingUp, ...offline } = withoutDetail;
      return {
        ...offline,
        state: event.state,
        code: event.code,
        reason: event.reason,
        ...(event.detail !== undefined ? { detail: event.detail } : {}),
        ...(event.type === 'retrying' ? { nextRetryAt: event.nextRetryAt } : {}),
      };
    }
    case 'token_expiring':
      return {
        ...withoutDetail,
        state: 'token_expiring',
        code: event.code,
        reason: event.reason,
        ...(event.expiresAt !== undefined ? { tokenExpiresAt: event.expiresAt } : {}),
      };
    case 'token_refreshed':
      return {
        ...withoutDetail,
        state: 'connected',
        code: 'token_refreshed',
        reason: 'token refreshed',
        tokenExpiresAt: event.expiresAt,
      };
    case 'relay_status':
      return {
        ...current,
        relayDegraded: event.degraded,
        ...(event.reason !== undefined ? { reason: event.reason } : {}),
      };
    case 'backfill':
      return { ...current, backfill: event.progress.length > 0 ? [...event.progress] : undefined };
    case 'catching_up':
      return { ...current, catchingUp: event.members > 0 ? event.members : undefined };
  }
}
