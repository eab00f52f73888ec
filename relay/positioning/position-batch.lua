--[[
Position several fixes (of any members) in one call: position.lua's `positionOne` (its functions, everything above
its `-- main --` line, are prepended by positioning.ts) runs once per fix with the same guarantees, then the fixes
positioned are published as ONE message, a JSON array of positioned fixes, instead of one PUBLISH each. The time
is read once for the whole batch (the script is atomic: no other write happens between its fixes).

KEYS[1] the claims prefix (position.lua KEYS[1])
ARGV[1] idempotency TTL ms, ARGV[2] window ms, ARGV[3] max stream length, ARGV[4] channel ('' = do not publish:
the reply then carries the message after the fixes' replies, for the relay to publish once replicas acknowledged
the writes: replica-acks.ts),
ARGV[5] candidate epoch base (a fix of a new member gets <base>.<its index in the batch>: unique per batch),
ARGV[6] the member key prefix (`lodestar:`: a member's keys are <prefix>{<uid>}:meta, :fixes, :bytime),
ARGV[7] the number of fixes, ARGV[8] the fixes, one line each: <uid> TAB <ts> TAB <idempotency key> TAB <fix JSON> LF
(canonical fix JSON has no raw tab or newline; uid and key are checked for them),
ARGV[9] only under Redis Cluster: the slot groups, one line each: <claims prefix> TAB <number of fixes> LF, covering
the fixes of ARGV[8] in order. Each group is one hash slot of this node: its claims go into its own sets (the
prefix carries the slot's tag), and the published array goes out with SPUBLISH on ARGV[4], the positioned channel
of the first group's slot. KEYS[1] is then the first group's claims prefix: it routes the call to the node.

Why one packed argument instead of keys and arguments per fix: the relay's cost of writing a command grows with
its number of arguments (each one measured and framed), and so does Redis's cost of reading it. The member keys are
derived here from the uid, so they are not declared. Under Cluster one call covers the slots of one node, which
needs the script flag `allow-cross-slot-keys` (scripts.ts adds it): every claim set is checked before anything is
written, so a slot that moved to another node meanwhile fails the call before it changes anything
(docs/scaling.md).

Returns one element per fix: 1 (positioned: the fix itself goes out on the channel only, not back to the caller),
nil (already positioned), or the refusal's error text (a refused fix does not stop the others); with no channel,
then one more: the JSON array that would have been published ('' when nothing was positioned). All the batch's
claims are checked with one SMISMEMBER per claim bucket and made with one SADD.
]]

local ttl, windowMs, maxLen, channel = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local epochBase, keyPrefix, count, packed, groups = ARGV[5], ARGV[6], tonumber(ARGV[7]), ARGV[8], ARGV[9]
if #KEYS ~= 1 or (#ARGV ~= 8 and #ARGV ~= 9) or not count or not packed then
  return redis.error_reply('ERR lodestar_bad_batch 1 key and 8 or 9 arguments')
end
local refused = badOptions(ttl, windowMs, maxLen)
  or badEpoch(epochBase .. '.' .. string.format('%d', count))
if refused then return refused end
local now = nowMs()
local nowText = string.format('%d', now)
local replies = {}
local uids, tss, jsons = {}, {}, {}
-- Validate every fix first; only the valid ones are claimed.
local claims = {}
local claimed = {}
local i = 0
for uid, ts, key, fix in string.gmatch(packed, '([^\t\n]*)\t([^\t\n]*)\t([^\t\n]*)\t([^\t\n]*)\n') do
  i = i + 1
  local bad, claim
  if #uid > 64 or not string.match(uid, '^[%w_.:-]+$') then
    bad = redis.error_reply('ERR lodestar_bad_fix uid must be 1-64 of [A-Za-z0-9_.:-]')
  else
    claim = uid .. ':' .. key
    bad = badFix(fix, ts) or badClaim(claim)
  end
  if bad then
    replies[i] = bad.err or 'ERR lodestar_bad_fix refused'
  else
    uids[i], tss[i], jsons[i] = uid, ts, fix
    claims[#claims + 1] = claim
    claimed[#claimed + 1] = i
  end
end
if i ~= count then
  return redis.error_reply('ERR lodestar_bad_batch ' .. i .. ' fixes in the packed argument, ' .. count .. ' announced')
end
local fresh
if not groups then
  fresh = claimFresh(KEYS[1], claims, ttl, now)
else
  -- The group of each fix (by its line number), then every group's claims checked before any is made.
  local prefixes, groupOf = {}, {}
  local line = 0
  for prefix, n in string.gmatch(groups, '([^\t\n]+)\t(%d+)\n') do
    prefixes[#prefixes + 1] = prefix
    for _ = 1, tonumber(n) do
      line = line + 1
      groupOf[line] = #prefixes
    end
  end
  if line ~= count then
    return redis.error_reply('ERR lodestar_bad_batch the groups cover ' .. line .. ' of ' .. count .. ' fixes')
  end
  local groupClaims, groupIndex = {}, {}
  for g = 1, #prefixes do groupClaims[g], groupIndex[g] = {}, {} end
  for j = 1, #claimed do
    local g = groupOf[claimed[j]]
    groupClaims[g][#groupClaims[g] + 1] = claims[j]
    groupIndex[g][#groupIndex[g] + 1] = j
  end
  --[[
  Every key the call may touch, one EXISTS per slot, before anything is written. In a slot being migrated a key
  one node lacks makes Redis refuse the access; KEYS[1] (a prefix, never a key) is always such a key, so ioredis
  follows the ASK to the importing node and the call runs there. Found only when the writes have begun, it left
  claims there without positions (the fix taken for a duplicate if the migration was called off; MIGRATE refused
  with BUSYKEY if it went on). Checked here, the call fails whole and is tried again once the slot has moved.
  ]]
  local width = math.ceil(ttl / 2)
  local bucket = math.floor(now / width)
  for g = 1, #prefixes do
    local keys, seen = {}, {}
    for b = bucket - 3, bucket do keys[#keys + 1] = prefixes[g] .. string.format('%d', b) end
    for k = 1, #groupIndex[g] do
      local uid = uids[claimed[groupIndex[g][k]]]
      if not seen[uid] then
        seen[uid] = true
        local base = keyPrefix .. '{' .. uid .. '}:'
        local n = #keys
        keys[n + 1], keys[n + 2], keys[n + 3] = base .. 'meta', base .. 'fixes', base .. 'bytime'
      end
    end
    if #groupIndex[g] > 0 then redis.call('EXISTS', unpack(keys)) end
  end
  local groupFresh = {}
  for g = 1, #prefixes do groupFresh[g] = checkClaims(prefixes[g], groupClaims[g], ttl, now) end
  fresh = {}
  for g = 1, #prefixes do
    recordClaims(prefixes[g], groupClaims[g], groupFresh[g], ttl, now)
    for k = 1, #groupIndex[g] do fresh[groupIndex[g][k]] = groupFresh[g][k] end
  end
end
local published = {}
for j = 1, #claimed do
  local n = claimed[j]
  if fresh[j] then
    local base = keyPrefix .. '{' .. uids[n] .. '}:'
    published[#published + 1] = positionOne(base .. 'meta', base .. 'fixes', base .. 'bytime', jsons[n], tss[n],
      epochBase, n, windowMs, maxLen, now, nowText)
    replies[n] = 1
  else
    -- false, not nil: a nil would end the Lua array here. Redis replies nil for it.
    replies[n] = false
  end
end
local message = #published > 0 and '[' .. table.concat(published, ',') .. ']' or ''
if channel == '' then
  replies[count + 1] = message
elseif message ~= '' then
  redis.call(groups and 'SPUBLISH' or 'PUBLISH', channel, message)
end
return replies
