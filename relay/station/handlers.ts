/**
 * One handler per station → relay message type. `handleFrame` is the single entry: rate limit, size/type checks,
 * parse with protocol's `parseClientMessage`, dispatch. Bad input gets an `error` with a stable code and the
 * connection survives; only sustained abuse of the rate limit closes it.
 */
import type { Logger } from 'pino';
import type { ErrorCode } from '../../protocol/codes.js';
import { CloseCode } from '../../protocol/codes.js';
import type { Fix } from '../../protocol/fix.js';
import type {
  AuthMessage,
  Catchup,
  ClientMessage,
  HistoryMessage,
  PingMessage,
  RangeMessage,
  UnwatchMessage,
  WatchMessage,
} from '../../protocol/messages.js';
import { parseClientMessage, requestIdOf } from '../../protocol/messages.js';
import { scopeAllows } from '../../protocol/token.js';
import type { VerifyResult } from '../auth/tokens.js';
import type { OperatorClaims } from '../../protocol/token.js';
import type { Fanout } from '../fanout.js';
import type { Positioning } from '../positioning/positioning.js';
import type { LatestPositions } from '../latest.js';
import type { RelayMetrics } from '../metrics.js';
import type { StationConnection } from './connection.js';
import type { ControlRateLimiter } from './rate-limiter.js';

export interface HandlerContext {
  fanout: Fanout;
  latest: LatestPositions;
  metrics: RelayMetrics;
  logger: Logger;
  maxWatched: number;
  verifyOperator(token: string): Promise<VerifyResult<OperatorClaims>>;
  /** Replace the station's token expiry timers after a refresh. */
  armTokenTimers(station: StationConnection): void;
  /** Set when positioning is on: catch-up, history and range read it. */
  positioning?: Positioning;
  /** A replay pauses while the station's backlog is above this many bytes (the soft buffer limit). */
  replayPaceBytes: number;
  /** Catch-ups one connection runs at once (catchup-slots.ts). */
  catchupConcurrency: number;
}

export function sendError(
  ctx: HandlerContext,
  station: StationConnection,
  code: ErrorCode,
  message: string,
  extra: { id?: string; uid?: string } = {},
): void {
  ctx.metrics.stationErrors.inc({ code });
  station.send({ type: 'error', code, message, ...extra });
}

/** Without positioning (RELAY_POSITIONING=off) the relay keeps no history: a `since` cannot be honoured. */
function catchupFor(since: unknown): Catchup {
  return since === undefined ? { status: 'live' } : { status: 'not_recoverable', reason: 'unavailable' };
}

/**
 * The checks every watch goes through, with or without positioning: scope and the per-connection limit, each refusal
 * an `error` for that member. Accepted members are registered with the fan-out at once, so no live fix published
 * while the watch is answered is missed; the caller holds them until it has answered.
 */
export function acceptWatch(
  ctx: HandlerContext,
  station: StationConnection,
  msg: WatchMessage,
): WatchMessage['members'] {
  const id = msg.id;
  const accepted: WatchMessage['members'] = [];
  for (const member of msg.members) {
    const uid = member.uid;
    if (!scopeAllows(station.identity.members, uid)) {
      sendError(ctx, station, 'forbidden', `your token does not allow member ${uid}`, { id, uid });
      continue;
    }
    if (!station.watched.has(uid) && station.watched.size >= ctx.maxWatched) {
      sendError(
        ctx,
        station,
        'too_many_members',
        `a connection may watch at most ${ctx.maxWatched} members`,
        {
          id,
          uid,
        },
      );
      continue;
    }
    station.watched.add(uid);
    ctx.fanout.add(uid, station);
    accepted.push(member);
  }
  return accepted;
}

/** Without positioning: the latest position, then live fixes; a `since` cannot be honoured. */
async function onWatch(ctx: HandlerContext, station: StationConnection, msg: WatchMessage): Promise<void> {
  const id = msg.id;
  const accepted = acceptWatch(ctx, station, msg);
  // Hold live fixes, so none is lost or reordered between reading the latest position and answering.
  for (const { uid } of accepted) station.hold(uid);
  await Promise.all(
    accepted.map(async ({ uid, since }) => {
      let latest: Fix | null = null;
      try {
        latest = await ctx.latest.get(uid);
      } catch {
        // Redis away: the station learns the position from the next live fix instead.
      }
      if (!station.watched.has(uid)) return; // unwatched meanwhile
      station.send({ type: 'watched', ...(id ? { id } : {}), uid, latest, catchup: catchupFor(since) });
      station.release(uid);
    }),
  );
}

function onUnwatch(ctx: HandlerContext, station: StationConnection, msg: UnwatchMessage): void {
  for (const uid of msg.members) {
    unwatch(ctx, station, uid);
    station.send({ type: 'unwatched', ...(msg.id ? { id: msg.id } : {}), uid });
  }
}

export function unwatch(ctx: HandlerContext, station: StationConnection, uid: string): void {
  station.watched.delete(uid);
  ctx.fanout.remove(uid, station);
  station.forget(uid);
}

async function onAuth(ctx: HandlerContext, station: StationConnection, msg: AuthMessage): Promise<void> {
  const id = msg.id;
  const verified = await ctx.verifyOperator(msg.token);
  if (!verified.ok) {
    ctx.metrics.authFailures.inc({ code: verified.code });
    sendError(ctx, station, 'bad_token', `${verified.code}: ${verified.message}`, id ? { id } : {});
    return;
  }
  if (verified.claims.sub !== station.identity.operator) {
    ctx.metrics.authFailures.inc({ code: 'forbidden' });
    sendError(ctx, station, 'bad_token', 'the new token names another operator', id ? { id } : {});
    return;
  }
  const claims = verified.claims;
  station.identity = { operator: claims.sub, members: claims.members, expiresAt: claims.exp * 1000 };
  // A narrower token takes effect at once: members it no longer allows stop flowing.
  for (const uid of [...station.watched]) {
    if (scopeAllows(claims.members, uid)) continue;
    unwatch(ctx, station, uid);
    sendError(ctx, station, 'forbidden', `your new token does not allow member ${uid}`, { uid });
  }
  ctx.armTokenTimers(station);
  station.send({
    type: 'auth_ok',
    ...(id ? { id } : {}),
    operator: claims.sub,
    members: claims.members,
    expiresAt: station.identity.expiresAt,
  });
}

function onUnavailable(
  ctx: HandlerContext,
  station: StationConnection,
  msg: HistoryMessage | RangeMessage,
): void {
  sendError(ctx, station, 'unavailable', `${msg.type} is not served by this relay (positioning is off)`, {
    id: msg.id,
    uid: msg.uid,
  });
}

function onPing(_ctx: HandlerContext, station: StationConnection, msg: PingMessage): void {
  station.send({ type: 'pong', ...(msg.id ? { id: msg.id } : {}), ts: Date.now() });
}

export type Handlers = {
  [T in ClientMessage['type']]: (
    ctx: HandlerContext,
    station: StationConnection,
    msg: Extract<ClientMessage, { type: T }>,
  ) => void | Promise<void>;
};

/** Swappable per type: positioning replaces `watch`, `history` and `range`. */
export const DEFAULT_HANDLERS: Handlers = {
  watch: onWatch,
  unwatch: onUnwatch,
  auth: onAuth,
  history: onUnavailable,
  range: onUnavailable,
  ping: onPing,
};

export function handleFrame(
  ctx: HandlerContext,
  station: StationConnection,
  limiter: ControlRateLimiter,
  data: Buffer,
  isBinary: boolean,
  handlers: Handlers = DEFAULT_HANDLERS,
): void {
  const verdict = limiter.take(Date.now());
  if (verdict === 'abuse') {
    station.closeWith(CloseCode.POLICY_VIOLATION, 'too many control messages');
    return;
  }
  if (verdict === 'refuse') {
    const id = isBinary ? undefined : requestIdOf(data.toString('utf8'));
    sendError(
      ctx,
      station,
      'rate_limited',
      'too many control messages; this one was ignored',
      id ? { id } : {},
    );
    return;
  }
  if (isBinary) {
    sendError(ctx, station, 'bad_message', 'frames must be UTF-8 JSON text');
    return;
  }
  const parsed = parseClientMessage(data.toString('utf8'));
  const id = parsed.id;
  // One error per refused member of a watch (with its uid), the valid ones are watched.
  for (const member of parsed.rejectedMembers ?? []) {
    sendError(ctx, station, 'bad_field', member.message, { ...(id ? { id } : {}), uid: member.uid });
  }
  if (!parsed.ok) {
    if (parsed.rejectedMembers === undefined)
      sendError(ctx, station, parsed.reason, parsed.message, id ? { id } : {});
    return;
  }
  const msg = parsed.value;
  const handler = handlers[msg.type] as (
    ctx: HandlerContext,
    s: StationConnection,
    m: ClientMessage,
  ) => void | Promise<void>;
  const fail = (error: unknown) => {
    const ref = Math.random().toString(36).slice(2, 10);
    ctx.logger.error(
      { err: error, ref, type: msg.type, station: station.id },
      'station message handler failed',
    );
    sendError(ctx, station, 'internal', `internal error (ref ${ref})`, msg.id ? { id: msg.id } : {});
  };
  try {
    const result = handler(ctx, station, msg);
    if (result) result.catch(fail);
  } catch (error) {
    fail(error);
  }
}
