/**
 * The relay's positioning library: assigns every fix its per-member position in Redis (position.lua) and serves
 * catch-up, range and history reads. Holds no state of its own, so any relay instance can serve any station.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { Fix, FixPosition, PositionedFix } from '../../protocol/fix.js';
import { UID_PATTERN } from '../../protocol/fix.js';
import { fixJson } from '../../protocol/fix-json.js';
import { fixProblem } from '../../protocol/fix-check.js';
import type { Catchup, NotRecoverableReason } from '../../protocol/messages.js';
import {
  assessRange,
  decideCatchup,
  isHeldBeyondRedis,
  rangeReadBounds,
  type MemberSnapshot,
} from './decisions.js';
import {
  decodeHistoryCursor,
  encodeHistoryCursor,
  claimsPrefix,
  idempotencyClaim,
  MAX_FIX_TS,
  memberKeys,
  offsetOfStreamId,
  timeIndexMember,
} from './keys.js';
import { resolvePositioningOptions, type PositioningOptions } from './options.js';

/** The position script's source, for callers outside Node (PHP: docs/php.md) that load it themselves. */
export const POSITION_SCRIPT = readFileSync(new URL('./position.lua', import.meta.url), 'utf8');
const HISTORY_SCRIPT = readFileSync(new URL('./history.lua', import.meta.url), 'utf8');
const RETIRE_EPOCH_SCRIPT = readFileSync(new URL('./retire-epoch.lua', import.meta.url), 'utf8');
/**
 * Most fixes one `positionBatch` call takes: bounds the script's run time in Redis's one thread (~0.5 ms at
 * 256) and the size of the batch message on the positioned channel.
 */
export const MAX_POSITION_BATCH = 256;
/**
 * The batch script is position.lua's functions (everything above its `-- main --` line) followed by the batch
 * loop, so the single-fix script that PHP calls and the batch share one implementation of `positionOne`.
 */
const POSITION_MAIN_MARKER = '\n-- main --\n';
const POSITION_FUNCTIONS = POSITION_SCRIPT.slice(0, POSITION_SCRIPT.indexOf(POSITION_MAIN_MARKER));
const POSITION_BATCH_SCRIPT = `${POSITION_FUNCTIONS}
${readFileSync(new URL('./position-batch.lua', import.meta.url), 'utf8')}`;

export type PositioningErrorCode = 'bad_field' | 'unavailable';

/** A refused request (bad input) or a Redis failure; `code` is one of protocol/codes.ts `ERROR_CODES`. */
export class PositioningError extends Error {
  constructor(
    readonly code: PositioningErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface RangeResult {
  /** The member's current epoch (undefined when Redis has nothing for the member). */
  epoch: string | undefined;
  fixes: PositionedFix[];
  complete: boolean;
  reason?: NotRecoverableReason;
}

export interface CatchupResult {
  catchup: Catchup;
  fixes: PositionedFix[];
  latest: PositionedFix | null;
}

export interface HistoryPage {
  fixes: PositionedFix[];
  /** Cursor of the next page; null on the last one. */
  next: string | null;
}

export interface Positioning {
  readonly options: PositioningOptions;
  /** Position one canonical fix; null when another caller already positioned this idempotency key. */
  position(fix: Fix, idempotencyKey: string): Promise<PositionedFix | null>;
  /**
   * Position up to MAX_POSITION_BATCH fixes in one script call, published on the positioned channel as one JSON
   * array. One outcome per item, in order: a refused item is a PositioningError and does not affect the others.
   */
  positionBatch(items: readonly BatchItem[]): Promise<BatchOutcome[]>;
  latest(uid: string): Promise<PositionedFix | null>;
  /**
   * What a `watch` of this member with `since` gets: the `catchup` verdict, the fixes to replay (empty unless
   * `replaying`), and the member's latest fix for the `watched` reply, all from one consistent read.
   */
  catchup(uid: string, since: FixPosition | undefined): Promise<CatchupResult>;
  /**
   * Retire the member's epoch when Redis no longer has `witnessed`, a position this relay itself received from
   * Redis (it lost its latest writes: AOF crash, lagging replica); the member's next fix then starts a new epoch in
   * position.lua. Never call it with a station's `since`: a client's claim is no evidence. Returns whether retired.
   */
  retireLostWrites(uid: string, witnessed: FixPosition): Promise<boolean>;
  range(uid: string, epoch: string, from: number, to: number): Promise<RangeResult>;
  /** Fixes with from <= ts <= to in (ts, offset) order, `limit` (capped by historyPageMax) per page. */
  history(uid: string, from: number, to: number, limit?: number, cursor?: string): Promise<HistoryPage>;
}

export interface BatchItem {
  fix: Fix;
  idempotencyKey: string;
}

/** `duplicate`: another caller positioned this idempotency key already. */
export type BatchOutcome = 'positioned' | 'duplicate' | PositioningError;

type StreamEntry = [id: string, fields: string[]];

interface PositioningCommands {
  lodestarPosition(...keysAndArgs: (string | number)[]): Promise<string | null>;
  lodestarPositionBatch(...keysAndArgs: (string | number)[]): Promise<(1 | string | null)[]>;
  lodestarHistory(...keysAndArgs: (string | number)[]): Promise<string[]>;
  lodestarRetireEpoch(...keysAndArgs: (string | number)[]): Promise<number>;
}

/**
 * Wire positioning onto an ioredis command connection (not a subscriber). Scripts go through ioredis
 * `defineCommand`: EVALSHA, falling back to EVAL on NOSCRIPT (a restarted Redis has no scripts), and they
 * auto-pipeline like any command when the connection has `enableAutoPipelining`.
 */
export function createPositioning(redis: Redis, given: Partial<PositioningOptions> = {}): Positioning {
  const options = resolvePositioningOptions(given);
  redis.defineCommand('lodestarPosition', { numberOfKeys: 4, lua: POSITION_SCRIPT });
  redis.defineCommand('lodestarPositionBatch', { numberOfKeys: 1, lua: POSITION_BATCH_SCRIPT });
  redis.defineCommand('lodestarHistory', { numberOfKeys: 3, lua: HISTORY_SCRIPT });
  redis.defineCommand('lodestarRetireEpoch', { numberOfKeys: 1, lua: RETIRE_EPOCH_SCRIPT });
  const commands = redis as unknown as PositioningCommands;
  const keysOf = (uid: string) => {
    // A uid outside the pattern could carry `{` or `}` and break the hash tag: refuse it at this boundary too.
    if (!UID_PATTERN.test(uid))
      throw new PositioningError('bad_field', 'uid must be 1-64 of [A-Za-z0-9_.:-]');
    return memberKeys(options.keyPrefix, uid);
  };

  async function snapshot(uid: string): Promise<MemberSnapshot & { fix: PositionedFix | null }> {
    const keys = keysOf(uid);
    const replies = await redis
      .multi()
      .hmget(keys.meta, 'epoch', 'offset', 'fix')
      .xrange(keys.stream, '-', '+', 'COUNT', 1)
      .exec();
    const [meta, head] = results(replies) as [(string | null)[], StreamEntry[]];
    return {
      epoch: meta[0] ?? undefined,
      latest: meta[1] == null ? 0 : Number(meta[1]),
      oldest: head[0] ? offsetOfStreamId(head[0][0]) : undefined,
      fix: meta[2] == null ? null : (JSON.parse(meta[2]) as PositionedFix),
    };
  }

  const claims = claimsPrefix(options.keyPrefix);

  /**
   * Check one fix for position.lua: its JSON without a position. The fix must be canonical (parseRawFix's output,
   * or `fixSchema`-checked by the caller): every field is re-checked here by value (canonical.ts), without a zod
   * parse per fix, since the batch path runs this for every raw message.
   */
  function positionCall(fix: Fix, idempotencyKey: string) {
    const problem = fixProblem(fix, false);
    if (problem !== undefined) throw new PositioningError('bad_field', `not a canonical fix: ${problem}`);
    if (idempotencyKey.length < 1 || idempotencyKey.length > 200) {
      throw new PositioningError('bad_field', 'the idempotency key must be 1-200 characters');
    }
    return {
      json: fixJson(fix.epoch === undefined && fix.offset === undefined ? fix : unpositioned(fix)),
      ts: fix.ts,
    };
  }

  const api: Positioning = {
    options,

    async position(fix, idempotencyKey) {
      const call = positionCall(fix, idempotencyKey);
      const keys = keysOf(fix.uid);
      const json = await commands.lodestarPosition(
        claims,
        keys.meta,
        keys.stream,
        keys.byTime,
        call.json,
        call.ts,
        newEpoch(),
        options.idempotencyTtlMs,
        options.windowMs,
        options.maxLen,
        options.positionedChannel,
        idempotencyClaim(fix.uid, idempotencyKey),
      );
      return json === null ? null : (JSON.parse(json) as PositionedFix);
    },

    async positionBatch(items) {
      if (items.length > MAX_POSITION_BATCH)
        throw new PositioningError('bad_field', `at most ${MAX_POSITION_BATCH} fixes per batch`);
      const outcomes: BatchOutcome[] = new Array<BatchOutcome>(items.length);
      // position-batch.lua: one line per fix, <uid> TAB <ts> TAB <key> TAB <json> LF, in one argument.
      let packed = '';
      const sent: number[] = [];
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as BatchItem;
        try {
          const call = positionCall(item.fix, item.idempotencyKey);
          if (/[\t\n]/.test(item.idempotencyKey))
            throw new PositioningError('bad_field', 'the idempotency key must not hold a tab or newline');
          packed += `${item.fix.uid}\t${call.ts}\t${item.idempotencyKey}\t${call.json}\n`;
          sent.push(i);
        } catch (error) {
          outcomes[i] = error as PositioningError;
        }
      }
      if (sent.length === 0) return outcomes;
      const replies = await guarded(
        commands.lodestarPositionBatch(
          claims,
          options.idempotencyTtlMs,
          options.windowMs,
          options.maxLen,
          options.positionedChannel,
          newEpoch(),
          options.keyPrefix,
          sent.length,
          packed,
        ),
      );
      if (replies.length !== sent.length)
        throw new PositioningError(
          'unavailable',
          `the batch script answered ${replies.length} of ${sent.length}`,
        );
      sent.forEach((i, j) => {
        const reply = replies[j];
        if (reply === null || reply === undefined) outcomes[i] = 'duplicate';
        else if (reply === 1) outcomes[i] = 'positioned';
        else outcomes[i] = refusal(String(reply));
      });
      return outcomes;
    },

    async latest(uid) {
      const json = await redis.hget(keysOf(uid).meta, 'fix');
      return json === null ? null : (JSON.parse(json) as PositionedFix);
    },

    async catchup(uid, since) {
      const member = await snapshot(uid);
      const latest = member.fix;
      const catchup = decideCatchup(since, member, options.replayMax);
      if (catchup.status !== 'replaying') return { catchup, fixes: [], latest };
      const entries = (await redis.xrange(keysOf(uid).stream, catchup.from, catchup.to)) as StreamEntry[];
      const fixes = entries.map(fixOfEntry);
      // Trimmed between the snapshot and the read (a window boundary passed): say so rather than replay a part.
      if (fixes.length !== catchup.count || fixes[0]?.offset !== catchup.from) {
        const notRecoverable: Catchup = {
          status: 'not_recoverable',
          reason: 'beyond_window',
          epoch: catchup.epoch,
          latest: catchup.to,
        };
        return { catchup: notRecoverable, fixes: [], latest };
      }
      return { catchup, fixes, latest };
    },

    async retireLostWrites(uid, witnessed) {
      const member = await snapshot(uid);
      if (!isHeldBeyondRedis(witnessed, member)) return false;
      return (await commands.lodestarRetireEpoch(keysOf(uid).meta, witnessed.epoch, witnessed.offset)) === 1;
    },

    async range(uid, epoch, from, to) {
      if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 1 || to < from) {
        throw new PositioningError('bad_field', 'range needs integers 1 <= from <= to');
      }
      const keys = keysOf(uid);
      const bounds = rangeReadBounds({ epoch, from, to }, options.replayMax);
      const replies = await redis
        .multi()
        .hmget(keys.meta, 'epoch', 'offset')
        .xrange(keys.stream, bounds.from, bounds.to)
        .exec();
      const [meta, entries] = results(replies) as [[string | null, string | null], StreamEntry[]];
      const member = { epoch: meta[0] ?? undefined, latest: meta[1] === null ? 0 : Number(meta[1]) };
      const verdict = assessRange(
        { epoch, from, to },
        member,
        entries.map((e) => offsetOfStreamId(e[0])),
        options.replayMax,
      );
      return {
        epoch: member.epoch,
        fixes: verdict.keep ? entries.map(fixOfEntry) : [],
        complete: verdict.complete,
        ...(verdict.reason ? { reason: verdict.reason } : {}),
      };
    },

    async history(uid, from, to, limit, cursor) {
      if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to < 0) {
        throw new PositioningError('bad_field', 'history needs integer from and to (ms)');
      }
      if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
        throw new PositioningError('bad_field', 'limit must be a positive integer');
      }
      const pageSize = Math.min(limit ?? options.historyPageMax, options.historyPageMax);
      // Fix times have at most 13 digits (position.lua), as have the positions history pages by.
      const until = Math.min(to, MAX_FIX_TS);
      if (until < from) return { fixes: [], next: null };
      const keys = keysOf(uid);
      // The page starts after this (ts, offset): offsets start at 1, so (from, 0) is before every fix at `from`.
      let after = timeIndexMember(from, 0);
      const epoch = (await redis.hget(keys.meta, 'epoch')) ?? '';
      if (cursor !== undefined) {
        const decoded = decodeHistoryCursor(cursor);
        if (decoded === undefined)
          throw new PositioningError('bad_field', 'cursor is not one this relay issued');
        // A cursor from a lost epoch restarts at `from`: its position means nothing in the new history.
        if (decoded.epoch === epoch && decoded.member > after) after = decoded.member;
      }
      const flat = await commands.lodestarHistory(
        keys.byTime,
        keys.stream,
        keys.meta,
        from,
        until,
        after,
        pageSize,
      );
      // Pairs of index member and fix JSON ('' for a fix trimmed meanwhile), then where the next page starts.
      const fixes: PositionedFix[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const json = flat[i + 1] as string;
        if (json !== '') fixes.push(JSON.parse(json) as PositionedFix);
      }
      const next = flat[flat.length - 1] as string;
      return { fixes, next: next === '' ? null : encodeHistoryCursor(epoch, next) };
    },
  };
  return {
    options,
    position: (...args) => guarded(api.position(...args)),
    positionBatch: (...args) => guarded(api.positionBatch(...args)),
    latest: (...args) => guarded(api.latest(...args)),
    catchup: (...args) => guarded(api.catchup(...args)),
    retireLostWrites: (...args) => guarded(api.retireLostWrites(...args)),
    range: (...args) => guarded(api.range(...args)),
    history: (...args) => guarded(api.history(...args)),
  };
}

/**
 * Every failure leaves as a PositioningError with a stable code: the script's own refusals (`lodestar_bad_*`) are
 * bad input, anything else from Redis (connection lost, OOM, timeout) is `unavailable`.
 */
async function guarded<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof PositioningError) throw error;
    throw refusal(error instanceof Error ? error.message : String(error), error);
  }
}

function refusal(message: string, cause?: unknown): PositioningError {
  const code = /lodestar_bad_/.test(message) ? 'bad_field' : 'unavailable';
  return new PositioningError(code, message, cause === undefined ? undefined : { cause });
}

/**
 * Epoch ids: a random per-process part and a counter, so a member whose history Redis lost never gets an epoch it
 * had before, without paying for random bytes on every fix (the candidate is used only on a member's first fix).
 */
const EPOCH_PROCESS_PART = randomBytes(6).toString('base64url');
let epochCounter = 0;
function newEpoch(): string {
  epochCounter += 1;
  return `${EPOCH_PROCESS_PART}${epochCounter.toString(36)}`;
}

function unpositioned(fix: Fix): Fix {
  const { epoch: _epoch, offset: _offset, ...rest } = fix as PositionedFix;
  return rest;
}

/** Stream entries are written only by position.lua: the `f` field is the positioned fix JSON. */
function fixOfEntry(entry: StreamEntry): PositionedFix {
  const fields = entry[1];
  const at = fields.indexOf('f');
  return JSON.parse(fields[at + 1] as string) as PositionedFix;
}

function results(replies: [Error | null, unknown][] | null): unknown[] {
  if (replies === null) throw new PositioningError('unavailable', 'the Redis transaction was aborted');
  return replies.map(([error, value]) => {
    if (error) throw new PositioningError('unavailable', error.message, { cause: error });
    return value;
  });
}
