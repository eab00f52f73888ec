/**
 * Every station⇄relay websocket message. Frames are UTF-8 JSON text, one message per frame, each an object
 * with a string `type`. docs/protocol.md is the prose version of this file.
 *
 * Client → relay messages are validated by the relay with `parseClientMessage`; relay → client messages are
 * validated by stations with `parseServerMessage`.
 */
import { z } from 'zod';
import type { ErrorCode } from './codes.js';
import { ERROR_CODES } from './codes.js';
import type { Fix, FixPosition, ParseResult } from './fix.js';
import { UID_PATTERN, fixPositionSchema, fixSchema } from './fix.js';
import { ALL_MEMBERS } from './token.js';

const uid = z.string().regex(UID_PATTERN);
/**
 * A member id from a station: a uid, or a non-negative integer taken as its decimal string (PHP and JSON clients
 * send integer ids, as in fixes).
 */
const memberUid = z.union([
  uid,
  z
    .number()
    .int()
    .nonnegative()
    .max(Number.MAX_SAFE_INTEGER)
    .transform((n) => String(n)),
]);
/** Correlates a request with its reply. Optional on watch/unwatch/auth/ping, required on history/range. */
const requestId = z.string().min(1).max(64);

// ---------------------------------------------------------------------------------------------------------------
// Station → relay

export const watchMessageSchema = z.object({
  type: z.literal('watch'),
  id: requestId.optional(),
  /** Members to start watching. `since` is the last position the station already holds for that member. */
  members: z
    .array(z.object({ uid: memberUid, since: fixPositionSchema.optional() }))
    .min(1)
    .max(1000),
});
const watchMemberSchema = watchMessageSchema.shape.members.element;

export const unwatchMessageSchema = z.object({
  type: z.literal('unwatch'),
  id: requestId.optional(),
  members: z.array(memberUid).min(1).max(1000),
});

/** Replace the connection's token before it expires. The new token must name the same operator. */
export const authMessageSchema = z.object({
  type: z.literal('auth'),
  id: requestId.optional(),
  token: z.string().min(1).max(16_384),
});

/** A member's fixes with `from <= ts <= to` (ms), within the relay's retained window, in pages. */
export const historyMessageSchema = z.object({
  type: z.literal('history'),
  id: requestId,
  uid: memberUid,
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  /** Page size; the relay caps it (welcome.limits.historyPageMax). */
  limit: z.number().int().positive().optional(),
  /** The `next` of the previous page. */
  cursor: z.string().max(256).optional(),
});

/** The fixes of one member with `from <= offset <= to` in `epoch`: what a station asks after an offset jump. */
export const rangeMessageSchema = z.object({
  type: z.literal('range'),
  id: requestId,
  uid: memberUid,
  epoch: z.string().min(1).max(64),
  from: z.number().int().positive(),
  to: z.number().int().positive(),
});

/** Application-level ping, for clients (browsers) that cannot see websocket pings. */
export const pingMessageSchema = z.object({ type: z.literal('ping'), id: requestId.optional() });

export const clientMessageSchema = z.discriminatedUnion('type', [
  watchMessageSchema,
  unwatchMessageSchema,
  authMessageSchema,
  historyMessageSchema,
  rangeMessageSchema,
  pingMessageSchema,
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type WatchMessage = z.infer<typeof watchMessageSchema>;
export type UnwatchMessage = z.infer<typeof unwatchMessageSchema>;
export type AuthMessage = z.infer<typeof authMessageSchema>;
export type HistoryMessage = z.infer<typeof historyMessageSchema>;
export type RangeMessage = z.infer<typeof rangeMessageSchema>;
export type PingMessage = z.infer<typeof pingMessageSchema>;
export const CLIENT_MESSAGE_TYPES = ['watch', 'unwatch', 'auth', 'history', 'range', 'ping'] as const;

// ---------------------------------------------------------------------------------------------------------------
// Relay → station

const memberScope = z.union([z.literal(ALL_MEMBERS), z.array(uid)]);

export const welcomeMessageSchema = z.object({
  type: z.literal('welcome'),
  relayId: z.string(),
  operator: z.string(),
  members: memberScope,
  /** Token expiry, ms since 1970. */
  expiresAt: z.number(),
  /** The relay sends a `heartbeat` at least this often; silence for 2.5× this means the relay is gone. */
  heartbeatMs: z.number().int().positive(),
  /** True while the relay cannot reach Redis: no fixes flow until a `status` says otherwise. */
  degraded: z.boolean(),
  /** Whether fixes carry `epoch`/`offset` and catch-up/range requests are served. */
  positioning: z.boolean(),
  limits: z.object({
    maxPayload: z.number().int(),
    maxWatched: z.number().int(),
    historyPageMax: z.number().int(),
    replayMax: z.number().int(),
    windowMs: z.number().int(),
  }),
});

/** One fix. `replay: true` while it is part of a catch-up replay rather than live. */
export const fixMessageSchema = z.object({
  type: z.literal('fix'),
  fix: fixSchema,
  replay: z.boolean().optional(),
});

export const NOT_RECOVERABLE_REASONS = [
  /** The member's history was lost (Redis flushed or restarted without persistence): offsets start again. */
  'epoch_changed',
  /** The station is further behind than the relay retains. */
  'beyond_window',
  /** More fixes were missed than one replay may carry (welcome.limits.replayMax). */
  'replay_cap',
  /** Redis could not be read; try the watch again later. */
  'unavailable',
  /**
   * The `since` offset is above the latest offset Redis assigned in that epoch. A station's claim changes nothing
   * on the relay: nothing is replayed and nothing is retired. `epoch`/`latest` say what Redis holds.
   */
  'ahead_of_redis',
] as const;
export type NotRecoverableReason = (typeof NOT_RECOVERABLE_REASONS)[number];

export const catchupSchema = z.discriminatedUnion('status', [
  /** Nothing to replay (no `since`, or the station is up to date): only live fixes follow. */
  z.object({ status: z.literal('live') }),
  /** `count` fixes with offsets `from..to` follow as `fix` messages with `replay: true`, then `replay_done`. */
  z.object({
    status: z.literal('replaying'),
    epoch: z.string(),
    from: z.number().int(),
    to: z.number().int(),
    count: z.number().int(),
  }),
  /** Nothing is replayed; the station should fetch history (or accept the hole). Live fixes follow. */
  z.object({
    status: z.literal('not_recoverable'),
    reason: z.enum(NOT_RECOVERABLE_REASONS),
    /** The member's current epoch and the oldest/newest offsets still retained, when known. */
    epoch: z.string().optional(),
    oldest: z.number().int().optional(),
    latest: z.number().int().optional(),
  }),
]);
export type Catchup = z.infer<typeof catchupSchema>;

export const watchedMessageSchema = z.object({
  type: z.literal('watched'),
  id: requestId.optional(),
  uid,
  /** The member's latest known fix (any relay instance's), or null if none is known. */
  latest: fixSchema.nullable(),
  catchup: catchupSchema,
});

export const replayDoneMessageSchema = z.object({
  type: z.literal('replay_done'),
  uid,
  count: z.number().int().nonnegative(),
});

export const unwatchedMessageSchema = z.object({
  type: z.literal('unwatched'),
  id: requestId.optional(),
  uid,
});

export const historyReplySchema = z.object({
  type: z.literal('history'),
  id: requestId,
  uid,
  fixes: z.array(fixSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  next: z.string().nullable(),
});

export const rangeReplySchema = z.object({
  type: z.literal('range'),
  id: requestId,
  uid,
  epoch: z.string(),
  fixes: z.array(fixSchema),
  /** False when part of the range is no longer retained (or the epoch changed); `reason` says why. */
  complete: z.boolean(),
  reason: z.enum(NOT_RECOVERABLE_REASONS).optional(),
});

export const statusMessageSchema = z.object({
  type: z.literal('status'),
  degraded: z.boolean(),
  reason: z.string().optional(),
  /**
   * Fixes that reached the relay but were given up without a position (its backlog for a Redis outage was full or
   * too old): per member the station may see, how many. They never got an offset, so no gap shows them.
   */
  lost: z.array(z.object({ uid, count: z.number().int().positive() })).optional(),
});

export const authOkMessageSchema = z.object({
  type: z.literal('auth_ok'),
  id: requestId.optional(),
  operator: z.string(),
  members: memberScope,
  expiresAt: z.number(),
});

/** Sent once, some time before the token expires, so the station refreshes it with an `auth` message. */
export const tokenExpiringMessageSchema = z.object({
  type: z.literal('token_expiring'),
  expiresAt: z.number(),
});

export const heartbeatMessageSchema = z.object({ type: z.literal('heartbeat'), ts: z.number() });

export const pongMessageSchema = z.object({
  type: z.literal('pong'),
  id: requestId.optional(),
  ts: z.number(),
});

export const errorMessageSchema = z.object({
  type: z.literal('error'),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  id: requestId.optional(),
  /** The member concerned; for a `bad_field` about a member, the uid as the station sent it (at most 64 chars). */
  uid: z.string().max(64).optional(),
});

export const serverMessageSchema = z.discriminatedUnion('type', [
  welcomeMessageSchema,
  fixMessageSchema,
  watchedMessageSchema,
  replayDoneMessageSchema,
  unwatchedMessageSchema,
  historyReplySchema,
  rangeReplySchema,
  statusMessageSchema,
  authOkMessageSchema,
  tokenExpiringMessageSchema,
  heartbeatMessageSchema,
  pongMessageSchema,
  errorMessageSchema,
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type WelcomeMessage = z.infer<typeof welcomeMessageSchema>;
export type FixMessage = z.infer<typeof fixMessageSchema>;
export type WatchedMessage = z.infer<typeof watchedMessageSchema>;
export type ReplayDoneMessage = z.infer<typeof replayDoneMessageSchema>;
export type UnwatchedMessage = z.infer<typeof unwatchedMessageSchema>;
export type HistoryReply = z.infer<typeof historyReplySchema>;
export type RangeReply = z.infer<typeof rangeReplySchema>;
export type StatusMessage = z.infer<typeof statusMessageSchema>;
export type AuthOkMessage = z.infer<typeof authOkMessageSchema>;
export type TokenExpiringMessage = z.infer<typeof tokenExpiringMessageSchema>;
export type HeartbeatMessage = z.infer<typeof heartbeatMessageSchema>;
export type PongMessage = z.infer<typeof pongMessageSchema>;
export type ErrorMessage = z.infer<typeof errorMessageSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Parsing

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`)
    .join('; ');
}

/** A `watch` member that was refused while the others were accepted: the uid as sent (truncated) and why. */
export interface RejectedMember {
  uid: string;
  message: string;
}

export type ClientParseResult =
  | { ok: true; value: ClientMessage; id?: string; rejectedMembers: RejectedMember[] }
  | { ok: false; reason: ErrorCode; message: string; id?: string; rejectedMembers?: RejectedMember[] };

/** The `id` of a decoded frame, when it has one a reply may carry (requestId's bounds). */
function idOf(decoded: unknown): string | undefined {
  if (typeof decoded !== 'object' || decoded === null) return undefined;
  const id = (decoded as { id?: unknown }).id;
  return typeof id === 'string' && id.length >= 1 && id.length <= 64 ? id : undefined;
}

/** The request `id` of a frame, when it is JSON with one: for answers given before parsing (`rate_limited`). */
export function requestIdOf(text: string): string | undefined {
  try {
    return idOf(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function shownUid(member: unknown): string {
  const value = typeof member === 'object' && member !== null ? (member as { uid?: unknown }).uid : member;
  return (typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined')).slice(0, 64);
}

/**
 * A `watch` whose members are partly invalid watches the valid ones: split them, so one bad uid does not refuse
 * the whole request. Returns the frame with only valid members, and the refused ones.
 */
function splitWatchMembers(decoded: Record<string, unknown>): {
  decoded: Record<string, unknown>;
  rejected: RejectedMember[];
} {
  const members = decoded.members;
  if (!Array.isArray(members) || members.length > 1000) return { decoded, rejected: [] };
  const valid: unknown[] = [];
  const rejected: RejectedMember[] = [];
  members.forEach((member, i) => {
    const parsed = watchMemberSchema.safeParse(member);
    if (parsed.success) valid.push(member);
    else rejected.push({ uid: shownUid(member), message: `members.${i}: ${describeIssues(parsed.error)}` });
  });
  return rejected.length === 0 || valid.length === 0
    ? { decoded, rejected }
    : { decoded: { ...decoded, members: valid }, rejected };
}

/**
 * Parse one frame from a station. Never throws; the error code tells the station what was wrong, and the relay
 * counts it. The relay checks frame size before this (ws maxPayload). `id` is the frame's request id whenever it
 * was JSON with one, so every answer to a request can carry it; `rejectedMembers` are the invalid members of a
 * `watch` (each answered with its own error).
 */
export function parseClientMessage(text: string): ClientParseResult {
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'bad_json', message: 'the frame is not valid JSON' };
  }
  const id = idOf(decoded);
  const withId = id === undefined ? {} : { id };
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    return { ok: false, reason: 'bad_message', message: 'a message must be a JSON object' };
  }
  const type = (decoded as { type?: unknown }).type;
  if (typeof type !== 'string') {
    return { ok: false, reason: 'bad_message', message: 'a message must have a string "type"', ...withId };
  }
  if (!(CLIENT_MESSAGE_TYPES as readonly string[]).includes(type)) {
    return {
      ok: false,
      reason: 'unknown_type',
      message: `unknown message type "${type.slice(0, 32)}"`,
      ...withId,
    };
  }
  let rejectedMembers: RejectedMember[] = [];
  if (type === 'watch') {
    const split = splitWatchMembers(decoded as Record<string, unknown>);
    decoded = split.decoded;
    rejectedMembers = split.rejected;
  }
  const parsed = clientMessageSchema.safeParse(decoded);
  if (!parsed.success) {
    return {
      ok: false,
      reason: 'bad_field',
      message: describeIssues(parsed.error),
      ...withId,
      ...(rejectedMembers.length > 0 ? { rejectedMembers } : {}),
    };
  }
  return { ok: true, value: parsed.data, ...withId, rejectedMembers };
}

/** Parse one frame from the relay (station side). A relay speaking another protocol is a `bad_message`. */
export function parseServerMessage(text: string): ParseResult<ServerMessage, 'bad_json' | 'bad_message'> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'bad_json', message: 'the frame is not valid JSON' };
  }
  const parsed = serverMessageSchema.safeParse(decoded);
  if (!parsed.success) return { ok: false, reason: 'bad_message', message: describeIssues(parsed.error) };
  return { ok: true, value: parsed.data };
}

/** The position of a fix, if the relay positioned it. */
export function positionOf(fix: Fix): FixPosition | undefined {
  return fix.epoch !== undefined && fix.offset !== undefined
    ? { epoch: fix.epoch, offset: fix.offset }
    : undefined;
}
