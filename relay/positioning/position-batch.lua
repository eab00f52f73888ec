--[[
Position several fixes (of any members) in one call: position.lua's `positionOne` (its functions, everything above
its `-- main --` line, are prepended by positioning.ts) runs once per fix with the same guarantees, then the fixes
positioned are published as ONE message, a JSON array of positioned fixes, instead of one PUBLISH each. The time
is read once for the whole batch (the script is atomic: no other write happens between its fixes).

KEYS: 4 per fix, as position.lua (idempotency key, meta hash, stream, time index)
ARGV[1] idempotency TTL ms, ARGV[2] window ms, ARGV[3] max stream length, ARGV[4] channel ('' = do not publish)
ARGV[5..]: 3 per fix: canonical fix JSON, ts, candidate epoch (position.lua ARGV[1..3])

Returns one element per fix: 1 (positioned: the fix itself goes out on the channel only, not back to the caller),
nil (already positioned), or the refusal's error text (a refused fix does not stop the others).

All keys of a batch must be in one slot under Redis Cluster; the relay batches on a single Redis.
]]

local ttl, windowMs, maxLen, channel = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local count = #KEYS / 4
if count ~= math.floor(count) or #ARGV ~= 4 + count * 3 then
  return redis.error_reply('ERR lodestar_bad_batch 4 keys and 3 arguments per fix')
end
local refused = badOptions(ttl, windowMs, maxLen)
if refused then return refused end
local now = nowMs()
local replies = {}
local published = {}
for i = 1, count do
  local k = (i - 1) * 4
  local a = 4 + (i - 1) * 3
  local reply = positionOne(KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3],
    ttl, windowMs, maxLen, now)
  if type(reply) == 'table' then
    replies[i] = reply.err or 'ERR lodestar_bad_fix refused'
  elseif reply then
    replies[i] = 1
    published[#published + 1] = reply
  else
    -- false, not nil: a nil would end the Lua array here. Redis replies nil for it.
    replies[i] = false
  end
end
if channel ~= '' and #published > 0 then
  redis.call('PUBLISH', channel, '[' .. table.concat(published, ',') .. ']')
end
return replies
