--[[
Position one fix of one member, exactly once. Called by every relay instance that received the raw message, by the
relay's HTTP ingest and, if it wants, directly by the customer's PHP backend (docs/positioning-php.md), all with the
same keys and arguments.

KEYS[1] claims prefix     <prefix>seen:                sets of idempotency claims, one per TTL/2 of Redis time
KEYS[2] meta hash          <prefix>{<uid>}:meta         epoch, offset (last assigned), fix (latest positioned JSON)
KEYS[3] stream             <prefix>{<uid>}:fixes        one entry per fix, ID = <offset>-<arrival ms>
KEYS[4] time index         <prefix>{<uid>}:bytime       out-of-order fixes only: score 0, member <ts 13>:<offset 12>
KEYS[2..4] share the hash tag {<uid>}, so in Redis Cluster they live in one slot; there, give KEYS[1] the same tag
(<prefix>{<uid>}:seen:) so the claim sets are that member's (docs/scaling.md).

ARGV[1] canonical fix JSON without epoch/offset: a JSON object with at least "uid" (protocol/fix.ts `Fix`)
ARGV[2] the fix's ts (integer ms), used for the time index
ARGV[3] epoch to use if the member has none (a random id made by the caller: Lua in Redis has no good randomness)
ARGV[4] idempotency TTL, ms
ARGV[5] retention window, ms (stream entries that arrived earlier than now - window are trimmed)
ARGV[6] maximum stream length (entries)
ARGV[7] channel to PUBLISH the positioned fix on ('' = do not publish)
ARGV[8] idempotency claim: <uid>:<key>, where key names the fix (a client id, or a hash of the raw message)
ARGV[9] optional: '1' to SPUBLISH instead of PUBLISH (Redis Cluster: ARGV[7] is then the positioned channel of the
        member's slot, and KEYS[1] is tagged with that slot; relay/positioning/slots.ts)

Returns the positioned fix JSON, or nil when the claim was made already within the TTL (another caller positioned
it).

Why claims are members of a few time-bucketed sets rather than one key each (SET NX PX): a key per fix cost more
Redis time than anything else the script does (a new key, its expiry, and deleting it later); a batch checks all its
claims with one SMISMEMBER per bucket and records them with one SADD. Buckets are TTL/2 wide: a claim is checked in
its own and the two previous buckets, so it is remembered for at least the TTL and at most 1.5 × TTL. The bucket
three back is UNLINKed (freed off Redis's main thread) when claims go into a bucket; its expiry is a safety net.

Layout: the functions come first and the single-fix call last, after the `-- main --` line. position-batch.lua
reuses everything above that line (positioning.ts splices them), so one implementation serves both; functions are
defined once per script call, not per fix, and the time is read once per call.

Why stream IDs are <offset>-<arrival ms>: offsets are then the IDs' ms part, so "everything after offset N" and
"offsets from..to" are direct XRANGE reads with no index; the sequence part carries the Redis arrival time, which
grows with the offset, so the oldest entries are at the head and the time window is trimmed by looking at the head
only (amortized O(1) per fix).

Why only out-of-order fixes are in the time index: fix times (`ts`, the sender's clock) almost always grow per
member, but not always (the mini-program uploads buffered fixes after a newer live one). The meta hash keeps the
running maximum `maxTs` of the epoch. A fix with ts >= maxTs is in order: its stream entry is f, t and nothing else
is written. A fix with ts < maxTs is out of order: its entry also carries m = maxTs, and it goes into the time index.
So every entry has a running max r (t, or m when present) that never decreases along the stream, and history.lua
finds the in-order fixes of a time range by binary search over offsets, and the out-of-order ones in the index,
instead of every fix paying a ZADD (the largest single cost of positioning a fix when all of them were indexed).
`sparseFrom`, set only for a member positioned before this scheme, is its first offset under it: every older
entry is in the index, as all entries were then, and is removed from it when trimmed.
]]

local function pad(digits, width)
  return string.rep('0', width - #digits) .. digits
end

local function indexMember(fixTs, offset)
  return pad(fixTs, 13) .. ':' .. pad(string.format('%d', offset), 12)
end

-- A stream entry (ID <offset>-<arrival ms>) is due for trimming when it is beyond maxLen or older than the window.
local function expired(id, keepAfterOffset, keepSince)
  local dash = string.find(id, '-', 1, true)
  local entryOffset = tonumber(string.sub(id, 1, dash - 1))
  local arrived = tonumber(string.sub(id, dash + 1))
  return entryOffset <= keepAfterOffset or arrived < keepSince, entryOffset
end

--[[
Check idempotency claims (an array of '<uid>:<key>') without making them; returns fresh[i] = true for each claim not
made within the TTL (and not earlier in the same array). Reads only, so a batch can check every claim set it
touches before it writes anything (under Cluster, a set on another node fails here, before any write).
]]
local function checkClaims(claimsPrefix, claims, idempotencyTtl, now)
  local fresh = {}
  local n = #claims
  if n == 0 then return fresh end
  local width = math.ceil(idempotencyTtl / 2)
  local bucket = math.floor(now / width)
  for i = 1, n do fresh[i] = true end
  for b = bucket - 2, bucket do
    local found = redis.call('SMISMEMBER', claimsPrefix .. string.format('%d', b), unpack(claims))
    for i = 1, n do
      if found[i] == 1 then fresh[i] = false end
    end
  end
  local taken = {}
  for i = 1, n do
    if fresh[i] then
      if taken[claims[i]] then
        fresh[i] = false
      else
        taken[claims[i]] = true
      end
    end
  end
  return fresh
end

-- Make the claims checkClaims found fresh: this call now owns them. See the header for the buckets.
local function recordClaims(claimsPrefix, claims, fresh, idempotencyTtl, now)
  local added = {}
  for i = 1, #claims do
    if fresh[i] then added[#added + 1] = claims[i] end
  end
  if #added > 0 then
    local width = math.ceil(idempotencyTtl / 2)
    local bucket = math.floor(now / width)
    local key = claimsPrefix .. string.format('%d', bucket)
    redis.call('SADD', key, unpack(added))
    redis.call('PEXPIREAT', key, (bucket + 4) * width)
    redis.call('UNLINK', claimsPrefix .. string.format('%d', bucket - 3))
  end
end

local function claimFresh(claimsPrefix, claims, idempotencyTtl, now)
  local fresh = checkClaims(claimsPrefix, claims, idempotencyTtl, now)
  recordClaims(claimsPrefix, claims, fresh, idempotencyTtl, now)
  return fresh
end

-- A claim as the caller sends it: nil when valid, else the refusal.
local function badClaim(claim)
  if #claim < 3 or #claim > 300 or not string.find(claim, ':', 2, true) then
    return redis.error_reply('ERR lodestar_bad_claim the idempotency claim must be <uid>:<key>, at most 300 bytes')
  end
  return nil
end

-- Options shared by every fix of a call; nil when valid, else the refusal.
local function badOptions(idempotencyTtl, windowMs, maxLen)
  if not idempotencyTtl or idempotencyTtl < 1 or not windowMs or windowMs < 1 or not maxLen or maxLen < 1 then
    return redis.error_reply('ERR lodestar_bad_option ttl, window and maxLen must be positive')
  end
  return nil
end

local function nowMs()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

-- One fix's arguments (ARGV[1..3] above): nil when valid, else the refusal. Checked before its claim is made: a
-- refusal after the claim would turn the sender's corrected retry into a "duplicate" for the TTL.
local function badFix(fix, ts)
  if string.byte(fix, 1) ~= 123 or string.byte(fix, -1) ~= 125 or not string.find(fix, '"uid"', 1, true) then
    return redis.error_reply('ERR lodestar_bad_fix fix must be a JSON object with a uid')
  end
  if #ts > 13 or not string.match(ts, '^%d+$') then
    return redis.error_reply('ERR lodestar_bad_ts ts must be an integer of at most 13 digits')
  end
  return nil
end

-- A candidate epoch (ARGV[3]): nil when valid, else the refusal.
local function badEpoch(candidateEpoch)
  if #candidateEpoch > 64 or not string.match(candidateEpoch, '^[%w_.:-]+$') then
    return redis.error_reply('ERR lodestar_bad_epoch epoch must be 1-64 of [A-Za-z0-9_.:-]')
  end
  return nil
end

--[[
Position one fix whose claim this call owns (claimFresh) and whose arguments are valid (badFix). metaKey,
streamKey, byTimeKey: KEYS[2..4] above; fix, ts, candidateEpoch: ARGV[1..3] (epochIndex, when given, is appended
to the candidate: a batch's per-fix candidates); windowMs, maxLen: numbers (already
checked); now: Redis time in ms. Returns the positioned fix JSON.
]]
local function positionOne(metaKey, streamKey, byTimeKey, fix, ts, candidateEpoch, epochIndex, windowMs, maxLen, now,
                           nowText)

  -- headOffset/headArrived: where the stream's head was after the last trim (a hint: the real head is never older,
  -- so a hint that is not due means the head is not due). expiresAt: when the stream and index expire. maxTs,
  -- sparseFrom: see the header.
  local meta = redis.call('HMGET', metaKey, 'epoch', 'offset', 'headOffset', 'headArrived', 'expiresAt', 'maxTs',
    'sparseFrom')
  local epoch = meta[1]
  local offset
  local headOffset, headArrived, expiresAt = meta[3], meta[4], tonumber(meta[5])
  local maxTs, sparseFrom, newSparseFrom = meta[6], tonumber(meta[7]), nil
  if not epoch then
    headOffset, headArrived, expiresAt, maxTs, sparseFrom = nil, nil, nil, nil, nil
    -- No meta: the member is new, or Redis lost its data. Anything left in the stream or index belongs to a lost
    -- epoch and must not be served as part of the new one.
    -- Built only here, for a member's first fix: a batch passes its base and the fix's index (unique per batch).
    epoch = epochIndex and (candidateEpoch .. '.' .. epochIndex) or candidateEpoch
    offset = 1
    redis.call('DEL', streamKey, byTimeKey)
  else
    offset = tonumber(meta[2]) + 1
    if not maxTs then
      -- Positioned before the time index held only out-of-order fixes: everything up to here is in the index.
      newSparseFrom = offset
    end
  end

  local offsetText = string.format('%d', offset)

  -- Splice the position into the caller's JSON rather than cjson round-trip it: cjson would print coordinates
  -- with 14 significant digits and change them.
  local positioned = string.sub(fix, 1, -2) .. ',"epoch":"' .. epoch .. '","offset":' .. offsetText .. '}'

  local id = offsetText .. '-' .. nowText
  local inOrder = not maxTs or tonumber(ts) >= tonumber(maxTs)
  if inOrder then
    maxTs = ts
    redis.call('XADD', streamKey, id, 'f', positioned, 't', ts)
  else
    redis.call('XADD', streamKey, id, 'f', positioned, 't', ts, 'm', maxTs)
    redis.call('ZADD', byTimeKey, 0, indexMember(ts, offset))
  end

  -- Trim from the head: entries beyond maxLen or older than the window. Arrival time and offset both grow along the
  -- stream, so only the head can be due. Entries are read one at a time: once the window is full, each new fix
  -- usually retires exactly one old one, and reading a batch would cost far more than two single-entry reads. At
  -- most 64 go per call, so a shrunk window or cap catches up over the next calls instead of stalling Redis.
  local keepAfterOffset = offset - maxLen
  local keepSince = now - windowMs
  -- The head is read only when the hint says it may be due (or there is no hint): while the window fills, no read.
  local newHead
  if not headOffset or tonumber(headOffset) <= keepAfterOffset or tonumber(headArrived) < keepSince then
    local entry = redis.call('XRANGE', streamKey, '-', '+', 'COUNT', 1)[1]
    local lastTrimmed
    for _ = 1, 64 do
      if not entry then break end
      local isExpired, entryOffset = expired(entry[1], keepAfterOffset, keepSince)
      if not isExpired then break end
      -- Fields as written above: f, <json>, t, <ts>[, m, <max>]. Only out-of-order entries are in the index.
      local fields = entry[2]
      if fields[5] == 'm' or (sparseFrom and entryOffset < sparseFrom) then
        redis.call('ZREM', byTimeKey, indexMember(fields[4], entryOffset))
      end
      lastTrimmed = entryOffset
      entry = redis.call('XRANGE', streamKey, '(' .. entry[1], '+', 'COUNT', 1)[1]
    end
    if lastTrimmed then
      redis.call('XTRIM', streamKey, 'MINID', string.format('%d', lastTrimmed + 1) .. '-0')
    end
    -- The stream holds at least the entry just added, so there is a head (possibly still due, past 64 trims).
    newHead = entry[1]
  end

  -- A member that stops sending keeps nothing past the window (plus at most 1/64 of it). The meta hash stays, so a
  -- station that comes back later is told beyond_window (its epoch is still the member's), not epoch_changed.
  -- The expiry moves only when it leaves [now + window, now + window + window/64]: not on every fix. A stream that
  -- expired and was created again by XADD always gets one, since its old expiresAt is in the past.
  local slack = math.floor(windowMs / 64)
  local newExpiry
  if not expiresAt or expiresAt < now + windowMs or expiresAt > now + windowMs + slack then
    newExpiry = now + windowMs + slack
    redis.call('PEXPIREAT', streamKey, newExpiry)
    redis.call('PEXPIREAT', byTimeKey, newExpiry)
  elseif not inOrder then
    -- The index may have just been created by the ZADD: it must not outlive the stream.
    redis.call('PEXPIREAT', byTimeKey, expiresAt)
  end
  -- The common case (no trim, no expiry move) writes four fields with no table built.
  if not newHead and not newExpiry and not newSparseFrom then
    redis.call('HSET', metaKey, 'epoch', epoch, 'offset', offsetText, 'fix', positioned, 'maxTs', maxTs)
  else
    local metaFields = { 'epoch', epoch, 'offset', offsetText, 'fix', positioned, 'maxTs', maxTs }
    if newSparseFrom then
      metaFields[#metaFields + 1] = 'sparseFrom'
      metaFields[#metaFields + 1] = string.format('%d', newSparseFrom)
    end
    if newHead then
      local dash = string.find(newHead, '-', 1, true)
      metaFields[#metaFields + 1] = 'headOffset'
      metaFields[#metaFields + 1] = string.sub(newHead, 1, dash - 1)
      metaFields[#metaFields + 1] = 'headArrived'
      metaFields[#metaFields + 1] = string.sub(newHead, dash + 1)
    end
    if newExpiry then
      metaFields[#metaFields + 1] = 'expiresAt'
      metaFields[#metaFields + 1] = string.format('%d', newExpiry)
    end
    redis.call('HSET', metaKey, unpack(metaFields))
  end
  return positioned
end

-- main --
local idempotencyTtl, windowMs, maxLen = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local claim = ARGV[8] or ''
local refused = badOptions(idempotencyTtl, windowMs, maxLen) or badFix(ARGV[1], ARGV[2]) or badEpoch(ARGV[3])
  or badClaim(claim)
if refused then return refused end
local now = nowMs()
if not claimFresh(KEYS[1], { claim }, idempotencyTtl, now)[1] then return nil end
local positioned = positionOne(KEYS[2], KEYS[3], KEYS[4], ARGV[1], ARGV[2], ARGV[3], nil, windowMs, maxLen, now,
  string.format('%d', now))
if ARGV[7] ~= '' then
  redis.call(ARGV[9] == '1' and 'SPUBLISH' or 'PUBLISH', ARGV[7], positioned)
end
return positioned
