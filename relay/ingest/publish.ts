/**
 * Publishing accepted fixes on the raw channel, once per client fix id.
 *
 * The dedup claim and the PUBLISH run in one Lua script, so they happen together or not at all: a claim without its
 * publish would turn the client's retry into a "duplicate" and lose the fix. This is the atomic form of "release
 * the claim if the publish fails". It also makes a request that timed out on our side safe: if the script still
 * runs later, the client's retry is answered as duplicates.
 *
 * Why claims are members of time-bucketed sets (`<prefix>ingest:seen:<bucket>`, members `<uid>:<cid>`) rather than
 * one key each: a key per fix costs a key, its expiry and its own allocation (~88 B each in Redis, for the whole
 * TTL); a set member costs about half, and a whole bucket expires at once. Buckets are TTL/2 wide; a claim is looked
 * up in its own and the two previous buckets, so it is remembered for at least the TTL and at most 1.5 × TTL (as
 * position.lua's claims). docs/scaling.md, "Redis memory", has the measured cost per fix per day.
 */
import type { RedisClient } from '../redis.js';
import { Cluster } from 'ioredis';
import type { Fix } from '../../protocol/fix.js';
import { slotOf, slotTag } from '../positioning/slots.js';

/**
 * How long an accepted (uid, cid) is remembered. The mini-program re-sends a batch whose answer it did not get on
 * its next upload attempt, and holds at most 3,000 fixes (about 50 minutes at 1 Hz; miniprogram/lib/queue.ts); a
 * day also covers a phone that goes offline right after an unanswered upload and comes back the next morning.
 */
export const DEFAULT_DEDUP_TTL_SECONDS = 24 * 3600;

const PUBLISH_ONCE = `
local channel = ARGV[1]
local ttlMs = tonumber(ARGV[2]) * 1000
local prefix = KEYS[1]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local width = math.ceil(ttlMs / 2)
local bucket = math.floor(now / width)
local current = prefix .. string.format('%d', bucket)
local older = { prefix .. string.format('%d', bucket - 1), prefix .. string.format('%d', bucket - 2) }
local out = {}
local added = 0
for i = 3, #ARGV, 2 do
  local claim = ARGV[i]
  local fresh = 1
  if claim ~= '' then
    if redis.call('SISMEMBER', older[1], claim) == 1 or redis.call('SISMEMBER', older[2], claim) == 1 then
      fresh = 0
    elseif redis.call('SADD', current, claim) == 0 then
      fresh = 0
    else
      added = added + 1
    end
  end
  if fresh == 1 then redis.call('PUBLISH', channel, ARGV[i + 1]) end
  out[#out + 1] = fresh
end
if added > 0 then redis.call('PEXPIREAT', current, (bucket + 4) * width) end
return out
`;

/** The claims prefix: one set per bucket under it. */
export function dedupPrefix(keyPrefix: string): string {
  return `${keyPrefix}ingest:seen:`;
}

/**
 * Under Redis Cluster the script's sets must be in one slot: the member's (one request holds one member's fixes),
 * with the slot's tag as positioning's claims have (`<prefix>ingest:seen:{<slot tag>}:`).
 */
export function slotDedupPrefix(keyPrefix: string, uid: string): string {
  return `${keyPrefix}ingest:seen:{${slotTag(slotOf(uid))}}:`;
}

/** A fix's dedup claim (a set member), or undefined for a fix without a client id. */
export function dedupClaim(fix: Fix): string | undefined {
  return fix.cid === undefined ? undefined : `${fix.uid}:${fix.cid}`;
}

/**
 * Publish `fixes` in order as canonical JSON; fixes with a `cid` already seen are skipped. Returns, per fix,
 * whether it was published (false: a duplicate).
 */
export async function publishOnce(
  redis: RedisClient,
  channel: string,
  keyPrefix: string,
  ttlSeconds: number,
  fixes: readonly Fix[],
): Promise<boolean[]> {
  const args: string[] = [channel, String(ttlSeconds)];
  for (const fix of fixes) args.push(dedupClaim(fix) ?? '', JSON.stringify(fix));
  let prefix = dedupPrefix(keyPrefix);
  if (redis instanceof Cluster) {
    const uid = fixes[0]?.uid ?? '';
    if (fixes.some((f) => f.uid !== uid))
      throw new TypeError('publishOnce: one member per call under Cluster');
    prefix = slotDedupPrefix(keyPrefix, uid);
  }
  const out = (await redis.eval(PUBLISH_ONCE, 1, prefix, ...args)) as number[];
  return out.map((fresh) => fresh === 1);
}
