/**
 * Per-member request rate limit, shared by every relay instance: a token bucket kept in Redis and updated by one
 * Lua script, so concurrent requests on different instances cannot both take the last token. The script reads
 * Redis's clock, not the instances', so skewed instance clocks do not change the rate.
 */
import type { RedisClient } from '../redis.js';

export interface RateLimit {
  /** Requests a member may send in a burst. */
  burst: number;
  /** Requests per second refilled. */
  perSecond: number;
}

/** A batching uploader sends one request every few seconds; the customer's old app one per fix (about 1 Hz). */
export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 30, perSecond: 2 };

const TOKEN_BUCKET = `
local capacity = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * per_ms)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) / per_ms)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / per_ms) + 1000)
return wait
`;

/** 0 when the request may go ahead, else the milliseconds until the member's next token. */
export async function takeToken(redis: RedisClient, key: string, limit: RateLimit): Promise<number> {
  const wait = await redis.eval(TOKEN_BUCKET, 1, key, limit.burst, limit.perSecond / 1000);
  return Number(wait);
}

/** Retry-After is whole seconds (RFC 9110); round up so a client that obeys it finds a token. */
export function retryAfterSeconds(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000));
}
