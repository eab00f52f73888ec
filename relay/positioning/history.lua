--[[
One page of a member's history by fix time (read only). See position.lua for the keys and for why the time index
holds only the out-of-order fixes.

KEYS[1] time index  <prefix>{<uid>}:bytime   out-of-order fixes: members <ts 13 digits>:<offset 12 digits>, score 0
KEYS[2] stream      <prefix>{<uid>}:fixes    entries f, t[, m]: r = m if present, else t, never decreases
KEYS[3] meta hash   <prefix>{<uid>}:meta     sparseFrom (only for a member positioned before this scheme)
ARGV[1] from, ARGV[2] to: fix times (ms), both inclusive
ARGV[3] the page starts after this position, <ts 13>:<offset 12> (a cursor; <from>:000000000000 for the first page)
ARGV[4] page size L

Returns a flat list: index member, fix JSON, index member, fix JSON, ... in (ts, offset) order (at most L pairs;
a fix trimmed between the two reads has JSON ''), then the position to continue after ('' when nothing follows).
Reading the index and the stream in one script means a concurrent trim cannot leave a member without its fix.

The fixes after (ts, offset) come from two sorted sources, each read until it has L + 1 or is exhausted:
(a) in-order fixes (no m, offset >= sparseFrom): binary search over offsets for the first entry with
    (r, offset) > (ts, offset), which is monotone along the stream, then a forward scan that skips out-of-order
    entries and stops at r > to;
(b) out-of-order fixes (and, below sparseFrom, all fixes): the time index, read by lex range.
Each source is complete up to a bound (its last fix when it stopped at L + 1, the last entry scanned when (a) ran
out of its scan budget, nothing when exhausted). Only fixes up to the lower bound are returned; when the budget
cut (a) short, the page can be shorter than L and the position to continue is that bound, not a fix.
]]
local indexKey, streamKey, metaKey = KEYS[1], KEYS[2], KEYS[3]
local from, to = tonumber(ARGV[1]), tonumber(ARGV[2])
local afterTs, afterOffset = tonumber(string.sub(ARGV[3], 1, 13)), tonumber(string.sub(ARGV[3], 15))
local want = tonumber(ARGV[4]) + 1
-- Entries scanned for (a) per page, read in chunks: a long run of out-of-order entries cannot stall Redis.
local chunk = math.min(math.max(want, 32), 256)
local scanBudget = 4 * want + 256

local function member(ts, offset)
  return string.format('%013d:%012d', ts, offset)
end

local function before(ts1, offset1, ts2, offset2)
  return ts1 < ts2 or (ts1 == ts2 and offset1 < offset2)
end

local function offsetOf(id)
  return tonumber(string.sub(id, 1, string.find(id, '-', 1, true) - 1))
end

-- Fields as position.lua writes them: f, <json>, t, <ts>[, m, <running max>]. Returns ts, running max, out of order.
local function times(fields)
  local ts = tonumber(fields[4])
  if fields[5] == 'm' then return ts, tonumber(fields[6]), true end
  return ts, ts, false
end

-- (b) out-of-order fixes.
local indexed = redis.call('ZRANGE', indexKey, '(' .. ARGV[3],
  '[' .. string.format('%013d', to) .. ':~', 'BYLEX', 'LIMIT', 0, want)
local b = {}
for i, m in ipairs(indexed) do
  b[i] = { tonumber(string.sub(m, 1, 13)), tonumber(string.sub(m, 15)), m, true }
end
local boundTs, boundOffset
if #b == want then boundTs, boundOffset = b[want][1], b[want][2] end

-- (a) in-order fixes.
local a = {}
local head = redis.call('XRANGE', streamKey, '-', '+', 'COUNT', 1)[1]
local last = redis.call('XREVRANGE', streamKey, '+', '-', 'COUNT', 1)[1]
if head then
  local lo = math.max(offsetOf(head[1]), tonumber(redis.call('HGET', metaKey, 'sparseFrom')) or 0)
  local hi = offsetOf(last[1]) + 1
  -- The first offset whose entry (or, across a gap, the next entry) has (r, offset) > (afterTs, afterOffset).
  for _ = 1, 64 do
    if lo >= hi then break end
    local mid = math.floor((lo + hi) / 2)
    local entry = redis.call('XRANGE', streamKey, string.format('%d', mid), '+', 'COUNT', 1)[1]
    local entryOffset = offsetOf(entry[1])
    local _, r = times(entry[2])
    if before(afterTs, afterOffset, r, entryOffset) then hi = mid else lo = entryOffset + 1 end
  end
  -- From there on every entry is after the cursor (r = t for in-order entries), so none is compared with it.
  local start = string.format('%d', lo)
  local scanned = 0
  local exhausted = false
  local lastTs, lastOffset
  while scanned < scanBudget and not exhausted and #a < want do
    local entries = redis.call('XRANGE', streamKey, start, '+', 'COUNT', chunk)
    if #entries < chunk then exhausted = true end
    for _, entry in ipairs(entries) do
      local ts, r, outOfOrder = times(entry[2])
      if r > to then
        exhausted = true
        break
      end
      local entryOffset = offsetOf(entry[1])
      scanned = scanned + 1
      lastTs, lastOffset = r, entryOffset
      if not outOfOrder then
        a[#a + 1] = { ts, entryOffset, entry[2][2] }
        if #a == want then break end
      end
      start = '(' .. entry[1]
    end
  end
  if #a == want then
    lastTs, lastOffset = a[want][1], a[want][2]
  end
  if not exhausted and lastTs and (not boundTs or before(lastTs, lastOffset, boundTs, boundOffset)) then
    boundTs, boundOffset = lastTs, lastOffset
  end
end

-- Merge (a) and (b) up to the bound. A fix beyond L means more follow, after the page's last fix.
local out = {}
local i, j, n = 1, 1, 0
local lastMember
while true do
  local x, y = a[i], b[j]
  local take
  if x and (not y or before(x[1], x[2], y[1], y[2])) then
    take, i = x, i + 1
  elseif y then
    take, j = y, j + 1
  else
    break
  end
  if boundTs and before(boundTs, boundOffset, take[1], take[2]) then break end
  if n + 1 == want then
    out[#out + 1] = lastMember
    return out
  end
  n = n + 1
  local json = take[3]
  if take[4] then
    lastMember = take[3]
    -- An index member: read its fix ('' when trimmed meanwhile).
    local offsetText = string.format('%d', take[2])
    local entry = redis.call('XRANGE', streamKey, offsetText, offsetText, 'COUNT', 1)[1]
    json = entry and entry[2][2] or ''
  else
    lastMember = member(take[1], take[2])
  end
  out[#out + 1] = lastMember
  out[#out + 1] = json
end
out[#out + 1] = boundTs and member(boundTs, boundOffset) or ''
return out
