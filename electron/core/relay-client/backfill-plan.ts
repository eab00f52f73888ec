/**
 * What the station does when the relay will not replay what it missed (`watched` with `not_recoverable`), and what
 * it records once a backfill span is fetched. Pure: the runner (backfill.ts) and the session only carry it out.
 *
 * - `replay_cap`: more was missed than one replay carries. Everything is still held: fetch the span with history.
 * - `beyond_window`: the start of the span is gone. Fetch what is left; the part before the first fix fetched is a
 *   hole.
 * - `epoch_changed` (and any other loss of the member's history): what followed `since` in the old epoch is gone;
 *   fetch what the new epoch holds; the time between is a hole.
 * - `unavailable`: the relay could not read Redis; ask again later with the same `since`.
 * - `ahead_of_redis`: the station holds more than the relay's Redis; nothing is missing (see isAheadOfRelay).
 */
import type { Fix, FixPosition } from '../../../protocol/fix.js';
import type { Catchup } from '../../../protocol/messages.js';
import type { DataHole, HoleReason } from '../../../contract/station-api.js';
import type { BackfillSpan } from '../store/types.js';

export type NotRecoverable = Extract<Catchup, { status: 'not_recoverable' }>;

export interface NotRecoverableInput {
  uid: string;
  /** What the station sent as `since`. */
  since: FixPosition | undefined;
  /** Fix time of the stored fix at `since`. */
  sinceTs: number | undefined;
  catchup: NotRecoverable;
  /** The member's latest fix, from the same `watched`. */
  latest: Fix | null;
  now: number;
}

export type BackfillPlan =
  | { kind: 'nothing' }
  | { kind: 'watch_again' }
  | { kind: 'span'; span: BackfillSpan }
  | { kind: 'hole'; hole: DataHole };

function holeReasonOf(reason: string): HoleReason {
  return reason === 'beyond_window' ? reason : 'epoch_changed';
}

/**
 * The relay's Redis holds fewer fixes of the epoch than the station (it lost its latest writes): the station has
 * them all, nothing is missing, but the relay will give the next fixes the offsets the station already holds.
 */
export function isAheadOfRelay(catchup: NotRecoverable): boolean {
  return (catchup.reason as string) === 'ahead_of_redis';
}

export function planAfterNotRecoverable(input: NotRecoverableInput): BackfillPlan {
  const { uid, since, sinceTs, catchup, latest, now } = input;
  if (catchup.reason === 'unavailable') return since ? { kind: 'watch_again' } : { kind: 'nothing' };
  if (isAheadOfRelay(catchup)) return { kind: 'nothing' };
  // Without a stored position nothing was missed that the station ever had a claim to.
  if (!since || sinceTs === undefined) return { kind: 'nothing' };
  const latestOffset = catchup.latest ?? (latest?.epoch === catchup.epoch ? latest?.offset : undefined);
  // Reading up to "now" as well catches fixes whose clocks ran ahead of the latest one's; duplicates are ignored.
  const toTs = Math.max(latest?.ts ?? now, now);
  const sameEpoch =
    catchup.epoch === undefined ? catchup.reason !== 'epoch_changed' : catchup.epoch === since.epoch;
  const epoch = catchup.epoch ?? since.epoch;

  if (sameEpoch && (catchup.reason === 'replay_cap' || catchup.reason === 'beyond_window')) {
    if (latestOffset === undefined || latestOffset <= since.offset) return { kind: 'nothing' };
    const gone = catchup.reason === 'beyond_window';
    if (gone && catchup.oldest === undefined) {
      // Nothing of the member is retained any more: the whole span is a hole.
      return {
        kind: 'hole',
        hole: {
          uid,
          from: sinceTs,
          to: latest?.ts ?? now,
          reason: 'beyond_window',
          missing: latestOffset - since.offset,
        },
      };
    }
    return {
      kind: 'span',
      span: {
        uid,
        epoch,
        afterOffset: since.offset,
        toOffset: latestOffset,
        fromTs: sinceTs,
        toTs,
        reason: catchup.reason,
        ...(gone ? { hole: { fromTs: sinceTs, reason: 'beyond_window' as const } } : {}),
        createdAt: now,
      },
    };
  }

  // The member's history after `since` is gone; what the relay holds now (if anything) is another epoch.
  const reason = holeReasonOf(catchup.reason);
  if (catchup.epoch === undefined || catchup.epoch === since.epoch || !latestOffset) {
    return { kind: 'hole', hole: { uid, from: sinceTs, to: Math.max(sinceTs, latest?.ts ?? now), reason } };
  }
  return {
    kind: 'span',
    span: {
      uid,
      epoch: catchup.epoch,
      afterOffset: Math.max(0, (catchup.oldest ?? 1) - 1),
      toOffset: latestOffset,
      fromTs: sinceTs,
      toTs,
      reason: catchup.reason,
      hole: { fromTs: sinceTs, reason },
      createdAt: now,
    },
  };
}

/**
 * The hole left once a span is fetched, if any: the time from where the station's fixes stop to the span's first
 * stored fix. `first` is the lowest stored offset above the span's start; `startTs` the time of the fix the span
 * starts after, when stored.
 */
export function holeAfterBackfill(
  span: BackfillSpan,
  first: { offset: number; ts: number } | undefined,
  startTs: number | undefined,
): DataHole | undefined {
  const contiguous = first !== undefined && first.offset === span.afterOffset + 1;
  if (!span.hole && contiguous) return undefined;
  const from = span.hole?.fromTs ?? startTs ?? span.fromTs;
  const to = Math.max(from, first?.ts ?? span.toTs);
  const reason = span.hole?.reason ?? 'beyond_window';
  const missing =
    reason === 'beyond_window' ? (first?.offset ?? span.toOffset + 1) - span.afterOffset - 1 : undefined;
  if (missing === 0) return undefined;
  return { uid: span.uid, from, to, reason, ...(missing !== undefined ? { missing } : {}) };
}
