--[[
Retire a member's epoch because a station holds an offset Redis no longer has (Redis lost its latest writes: an
AOF crash, a failover to a lagging replica). Without this, the next fixes would reuse those offsets and stations
would drop them as duplicates. Deleting the meta hash makes the next position.lua call start a new epoch (and clear
the stream and index), so every station is told epoch_changed instead.

KEYS[1] meta hash
ARGV[1] the epoch the station holds, ARGV[2] the offset it holds
Returns 1 if the epoch was retired, 0 if the meta hash no longer matches (already retired or caught up).
]]
local meta = redis.call('HMGET', KEYS[1], 'epoch', 'offset')
if meta[1] == ARGV[1] and tonumber(meta[2]) < tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
