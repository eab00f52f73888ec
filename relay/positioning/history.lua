--[[
One page of a member's history by fix time (read only). See position.lua for the keys.

KEYS[1] time index  <prefix>{<uid>}:bytime   members <ts 13 digits>:<offset 12 digits>, all with score 0
KEYS[2] stream      <prefix>{<uid>}:fixes
ARGV[1] ZRANGE BYLEX start bound (e.g. "[1700000000000" or "(<last member of the previous page>")
ARGV[2] ZRANGE BYLEX end bound (e.g. "[1700000999999:~", '~' sorts after every digit)
ARGV[3] page size

Returns a flat list: index member, fix JSON, index member, fix JSON, ... in (ts, offset) order. Reading the index
and the stream in one script means a concurrent trim cannot leave an index member without its fix.
]]
local members = redis.call('ZRANGE', KEYS[1], ARGV[1], ARGV[2], 'BYLEX', 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, member in ipairs(members) do
  local offset = tostring(tonumber(string.sub(member, 15)))
  local entries = redis.call('XRANGE', KEYS[2], offset, offset, 'COUNT', 1)
  local json = ''
  if entries[1] then
    local fields = entries[1][2]
    for i = 1, #fields, 2 do
      if fields[i] == 'f' then json = fields[i + 1] end
    end
  end
  -- '' when the fix is gone: the caller skips it but still pages past its index member.
  out[#out + 1] = member
  out[#out + 1] = json
end
return out
