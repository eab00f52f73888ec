/**
 * Positioning's reads: a member's latest fix, the catch-up of a `watch` with `since`, `range` and `history`. Each
 * is one consistent read (a MULTI or a script) of one member's keys, which share a hash slot.
 */
import type { RedisClient } from '../redis.js';
import type { FixPosition, PositionedFix } from '../../protocol/fix.js';
import type { Catchup, NotRecoverableReason } from '../../protocol/messages.js';
import { assessRange, decideCatchup, rangeReadBounds, type MemberSnapshot } from './decisions.js';
import { PositioningError, results } from './errors.js';
import {
  checkedMemberKeys,
  decodeHistoryCursor,
  encodeHistoryCursor,
  MAX_FIX_TS,
  offsetOfStreamId,
  timeIndexMember,
  type MemberKeys,
} from './keys.js';
import type { PositioningOptions } from './options.js';
import type { PositioningScripts } from './scripts.js';

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

export interface ReadPath {
  latest(uid: string): Promise<PositionedFix | null>;
  catchup(uid: string, since: FixPosition | undefined): Promise<CatchupResult>;
  range(uid: string, epoch: string, from: number, to: number): Promise<RangeResult>;
  history(uid: string, from: number, to: number, limit?: number, cursor?: string): Promise<HistoryPage>;
}

type StreamEntry = [id: string, fields: string[]];

/** A member's epoch, latest and oldest offsets and latest fix, in one MULTI. */
export async function readSnapshot(
  redis: RedisClient,
  keys: MemberKeys,
): Promise<MemberSnapshot & { fix: PositionedFix | null }> {
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

export function createReadPath(
  redis: RedisClient,
  scripts: PositioningScripts,
  options: PositioningOptions,
): ReadPath {
  const keysOf = (uid: string) => checkedMemberKeys(options.keyPrefix, uid);
  return {
    async latest(uid) {
      const json = await redis.hget(keysOf(uid).meta, 'fix');
      return json === null ? null : (JSON.parse(json) as PositionedFix);
    },

    async catchup(uid, since) {
      const member = await readSnapshot(redis, keysOf(uid));
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
      const flat = await scripts.lodestarHistory(
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
}

/** Stream entries are written only by position.lua: the `f` field is the positioned fix JSON. */
function fixOfEntry(entry: StreamEntry): PositionedFix {
  const fields = entry[1];
  const at = fields.indexOf('f');
  return JSON.parse(fields[at + 1] as string) as PositionedFix;
}
