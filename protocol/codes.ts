/**
 * Every code that crosses a boundary, in one place: websocket close codes, `error` message codes, HTTP error
 * codes. docs/protocol.md documents each; a code once published never changes meaning.
 */

/** Websocket close codes the relay uses. 1xxx are RFC 6455's; 4xxx are Lodestar's own. */
export const CloseCode = {
  /** Normal closure, e.g. the station said goodbye. */
  NORMAL: 1000,
  /** A text frame that is not valid UTF-8 (the `ws` library checks it before the relay sees the frame). */
  INVALID_PAYLOAD: 1007,
  /** Repeated protocol abuse (control messages far past the rate limit). Do not reconnect in a tight loop. */
  POLICY_VIOLATION: 1008,
  /** A frame larger than the relay's maxPayload. */
  MESSAGE_TOO_BIG: 1009,
  /** The relay hit an internal error on this connection. Reconnect with backoff. */
  INTERNAL_ERROR: 1011,
  /** The relay is restarting or draining: reconnect (to any instance) after a short random delay. */
  SERVICE_RESTART: 1012,
  /** The token expired and was not refreshed in time: get a new token, then reconnect. */
  TOKEN_EXPIRED: 4001,
  /** The station read too slowly and its backlog passed the relay's hard limit. Reconnect and catch up. */
  SLOW_CONSUMER: 4008,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Codes carried by `{"type":"error","code":...}` messages. The connection stays open after each. */
export const ERROR_CODES = [
  /** The frame is not valid JSON. */
  'bad_json',
  /** JSON, but not an object with a string `type`. */
  'bad_message',
  /** `type` names no message the relay knows. */
  'unknown_type',
  /** A known type with missing or wrongly typed fields; `message` says which. */
  'bad_field',
  /** The token does not allow this member. Carries `uid`. */
  'forbidden',
  /** Too many control messages; this one was ignored. */
  'rate_limited',
  /** The watch would pass the per-connection limit of watched members. */
  'too_many_members',
  /** An `auth` refresh carried a token that is malformed, badly signed, expired or for another operator. */
  'bad_token',
  /** History could not be read (Redis unreachable); try again later. */
  'unavailable',
  /** Anything else; logged on the relay with the same `id`. */
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Why a websocket upgrade or an HTTP request was refused with 401/403. Sent as `{"error":{"code":...}}`. */
export const AUTH_ERROR_CODES = [
  'token_missing',
  'token_malformed',
  'token_bad_signature',
  'token_expired',
  'token_wrong_role',
  'forbidden',
] as const;
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];
