/**
 * Publishing accepted fixes on the raw channel, once per client fix id.
 *
 * The dedup mark (SET NX with a TTL under the relay's key prefix) and the PUBLISH run in one Lua script, so they
 * happen together or not at all: a mark without its publish would turn the client's retry into a "duplicate" and
 * lose the fix. This is the atomic form of "release the mark if the publish fails". It also makes a request that
 * timed out on our side safe: if the script still runs later, the client's retry is answered as duplicates.
 */
import type { Redis } from 'ioredis';
import type { Fix } from '../../protocol/fix.js';

/** How long an accepted (uid, cid) is remembered. Longer than an uploader keeps a fix queued while offline. */
export const DEFAULT_DEDUP_TTL_SECONDS = 7 * 24 * 3600;

const PUBLISH_ONCE = `
local channel = ARGV[1]
local ttl = tonumber(ARGV[2])
local out = {}
local k = 0
for i = 3, #ARGV, 2 do
  local fresh = 1
  if ARGV[i] == '1' then
    k = k + 1
    if not redis.call('SET', KEYS[k], '1', 'EX', ttl, 'NX') then fresh = 0 end
  end
  if fresh == 1 then redis.call('PUBLISH', channel, ARGV[i + 1]) end
  out[#out + 1] = fresh
end
return out
`;

export function dedupKey(keyPrefix: string, fix: Fix): string | undefined {
  return fix.cid === undefined ? undefined : `${keyPrefix}ingest:cid:${fix.uid}:${fix.cid}`;
}

/**
 * Publish `fixes` in order as canonical JSON; fixes with a `cid` already seen are skipped. Returns, per fix,
 * whether it was published (false: a duplicate).
 */
export async function publishOnce(
  redis: Redis,
  channel: string,
  keyPrefix: string,
  ttlSeconds: number,
  fixes: readonly Fix[],
): Promise<boolean[]> {
  const keys: string[] = [];
  const args: string[] = [channel, String(ttlSeconds)];
  for (const fix of fixes) {
    const key = dedupKey(keyPrefix, fix);
    if (key !== undefined) keys.push(key);
    args.push(key === undefined ? '0' : '1', JSON.stringify(fix));
  }
  const out = (await redis.eval(PUBLISH_ONCE, keys.length, ...keys, ...args)) as number[];
  return out.map((fresh) => fresh === 1);
}
