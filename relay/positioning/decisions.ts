/**
 * What a catch-up or range request gets, decided from one consistent snapshot of a member's Redis state. Pure, so
 * every case is a table row (decisions.test.ts); read-path.ts only reads the snapshot and the fixes.
 */
import type { FixPosition } from '../../protocol/fix.js';
import type { Catchup, NotRecoverableReason } from '../../protocol/messages.js';

/** A member's state in Redis: `epoch` undefined when Redis has nothing for the member (new, or data lost). */
export interface MemberSnapshot {
  epoch: string | undefined;
  /** Last assigned offset (0 when none). */
  latest: number;
  /** Oldest offset still in the stream; undefined when the stream is empty or expired. */
  oldest: number | undefined;
}

/**
 * Catch-up for a station that holds `since`. Never a partial replay: either every fix after `since` up to the
 * snapshot's latest (`replaying`), or nothing with the reason (`not_recoverable`).
 */
export function decideCatchup(
  since: FixPosition | undefined,
  member: MemberSnapshot,
  replayMax: number,
): Catchup {
  if (since === undefined) return { status: 'live' };
  const known = { epoch: member.epoch, oldest: member.oldest, latest: member.latest };
  if (member.epoch === undefined) return { status: 'not_recoverable', reason: 'epoch_changed' };
  if (member.epoch !== since.epoch)
    return withoutUndefined({ status: 'not_recoverable', reason: 'epoch_changed', ...known });
  // A position Redis never assigned: a station's claim is not evidence that Redis lost writes, so it changes
  // nothing (only the relay's own record of what Redis published may retire an epoch: isHeldBeyondRedis).
  if (since.offset > member.latest)
    return withoutUndefined({ status: 'not_recoverable', reason: 'ahead_of_redis', ...known });
  if (since.offset === member.latest) return { status: 'live' };
  if (member.oldest === undefined || member.oldest > since.offset + 1) {
    return withoutUndefined({ status: 'not_recoverable', reason: 'beyond_window', ...known });
  }
  const missed = member.latest - since.offset;
  if (missed > replayMax)
    return withoutUndefined({ status: 'not_recoverable', reason: 'replay_cap', ...known });
  return {
    status: 'replaying',
    epoch: member.epoch,
    from: since.offset + 1,
    to: member.latest,
    count: missed,
  };
}

/**
 * The relay sent a station an offset of the member's current epoch that Redis no longer has: Redis lost writes.
 * Only for positions the relay itself received from Redis (the seam's `lastSent`), never for a station's `since`.
 */
export function isHeldBeyondRedis(since: FixPosition | undefined, member: MemberSnapshot): boolean {
  return since !== undefined && member.epoch === since.epoch && since.offset > member.latest;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export interface RangeRequest {
  epoch: string;
  from: number;
  to: number;
}

/** The offsets worth reading for a range request: at most replayMax of them. */
export function rangeReadBounds(request: RangeRequest, replayMax: number): { from: number; to: number } {
  return { from: request.from, to: Math.min(request.to, request.from + replayMax - 1) };
}

export interface RangeVerdict {
  /** Keep the read fixes (false when they belong to another epoch). */
  keep: boolean;
  complete: boolean;
  reason?: NotRecoverableReason;
}

/**
 * Judge a range read. `readOffsets` are the offsets XRANGE returned for `rangeReadBounds`, in order, read in the
 * same MULTI as `member`. Complete only when every requested offset came back; otherwise `reason` says why, so a
 * station never mistakes a partial answer for the whole range. A range reaching past the latest offset is
 * incomplete without a reason: those fixes do not exist yet.
 */
export function assessRange(
  request: RangeRequest,
  member: Pick<MemberSnapshot, 'epoch' | 'latest'>,
  readOffsets: readonly number[],
  replayMax: number,
): RangeVerdict {
  if (member.epoch !== request.epoch) return { keep: false, complete: false, reason: 'epoch_changed' };
  const bounds = rangeReadBounds(request, replayMax);
  const expectedTo = Math.min(bounds.to, member.latest);
  if (request.from > expectedTo) return { keep: true, complete: false };
  const expected = expectedTo - request.from + 1;
  // Trimming only ever removes the head of the stream, so a missing fix means the start is gone.
  if (readOffsets[0] !== request.from || readOffsets.length < expected) {
    return { keep: true, complete: false, reason: 'beyond_window' };
  }
  if (bounds.to < request.to) return { keep: true, complete: false, reason: 'replay_cap' };
  return { keep: true, complete: request.to <= member.latest };
}
