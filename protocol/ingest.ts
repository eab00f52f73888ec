/**
 * The HTTP ingest contract (`POST /api/location/move`): what the mini-program sends and what the relay answers.
 * docs/miniprogram.md is the prose version of this file.
 *
 * The mini-program type-checks this file with `miniprogram-api-typings` only (no Node types), so it imports only
 * the dependency-free protocol/reject-reasons.ts and protocol/fix-limits.ts, never protocol/fix.ts (which names `Buffer` and uses zod).
 */
import type { Crs } from './fix-limits.js';
import { FIX_REJECT_REASONS, type FixRejectReason } from './reject-reasons.js';

/** The path the customer's mini-program already posts to. */
export const INGEST_PATH = '/api/location/move';

/** Default request body limit; the relay answers 413 `too_large` past it. */
export const INGEST_MAX_BODY_BYTES = 256 * 1024;

/** Default batch length limit; the relay answers 413 `batch_too_long` past it. Senders keep batches below it. */
export const INGEST_MAX_BATCH = 500;

/**
 * One fix as sent: the raw shape `normalizeRawFix` accepts (wx.onLocationChange's fields plus `ts`, `crs`, `cid`).
 * `uid` may be left out: the relay takes the token's member.
 */
export interface IngestFix {
  uid?: string | number;
  longitude: number | string;
  latitude: number | string;
  /** Fix time, ms since 1970. Without it the relay's receive time is used, which is wrong for queued fixes. */
  ts?: number;
  crs?: Crs;
  /** Client fix id, unique per device: a fix whose (uid, cid) was already accepted is not published again. */
  cid?: string;
  speed?: number;
  accuracy?: number;
  altitude?: number;
  verticalAccuracy?: number;
  horizontalAccuracy?: number;
  heading?: number;
}

/** A request body: one fix, `{"fixes": [...]}`, or a JSON array of fixes. */
export type IngestBody = IngestFix | { fixes: IngestFix[] } | IngestFix[];

/**
 * Why one fix of a batch was refused: exactly the reasons protocol/fix.ts refuses a raw fix for. A refused fix is
 * final: resending it gives the same answer.
 */
export const INGEST_FIX_REFUSALS = FIX_REJECT_REASONS;
export type IngestFixRefusal = FixRejectReason;

export interface IngestRefusedFix {
  /** Position of the fix in the batch (0 for a single fix). */
  index: number;
  reason: IngestFixRefusal;
  message: string;
}

/**
 * The answer to a well-formed request (HTTP 200, or 422 when no fix of it was accepted).
 * `accepted + duplicates + refused.length` is the batch length.
 */
export interface IngestResult {
  /** Fixes published now. */
  accepted: number;
  /** Fixes whose (uid, cid) had already been accepted: not published again, nothing to resend. */
  duplicates: number;
  refused: IngestRefusedFix[];
}

/** Why a whole request was refused. Sent as `{"error":{"code":...,"message":...}}` with the HTTP status below. */
export const INGEST_ERROR_CODES = [
  /** 401: no `Authorization: Bearer` header. */
  'token_missing',
  /** 401: not a JWT, or claims of the wrong shape. */
  'token_malformed',
  /** 401 */
  'token_bad_signature',
  /** 401: get a new token from the customer's login, then resend. */
  'token_expired',
  /** 403: an operator token (or another role) where a member token is required. */
  'token_wrong_role',
  /** 403: a fix names another member's uid; nothing of the request was stored. */
  'forbidden',
  /** 405: only POST. */
  'method_not_allowed',
  /** 415: the body must be `application/json`. */
  'bad_content_type',
  /** 413: the body is larger than the relay's limit. */
  'too_large',
  /** 413: more fixes than the relay's batch limit; split the batch. */
  'batch_too_long',
  /** 400: the body is not valid JSON. */
  'not_json',
  /** 400: JSON, but neither a fix, `{"fixes":[...]}` nor an array; or an empty batch. */
  'bad_body',
  /** 429: the member sent too many requests; wait `Retry-After` seconds. */
  'rate_limited',
  /** 503: Redis is unreachable; nothing was stored; resend later. */
  'unavailable',
  /** 500: logged on the relay. */
  'internal',
] as const;
export type IngestErrorCode = (typeof INGEST_ERROR_CODES)[number];

export interface IngestErrorBody {
  error: { code: IngestErrorCode; message: string };
}
