/**
 * What the store knows about fixes it does not hold: spans still to fetch from the relay's history (so a backfill
 * resumes after a restart: the live stream's `since` moves past a span at once, so nothing else remembers it) and
 * holes, spans the relay no longer holds, so history shows them as missing rather than as a straight line.
 */
import type Database from 'better-sqlite3';
import type { DataHole, HoleQuery, HoleReason } from '../../../contract/station-api.js';

/** Appended to the epoch of fixes whose offsets the relay will hand out again (see supersedeAbove). */
export const SUPERSEDED_SUFFIX = '~superseded';

export interface BackfillSpan {
  uid: string;
  epoch: string;
  /** The station holds every fix of `epoch` up to this offset (0: none of this epoch). */
  afterOffset: number;
  /** The relay's latest offset when the span was found: the span is (afterOffset, toOffset]. */
  toOffset: number;
  /** History is read by fix time from here (advanced as pages are stored) to `toTs`. */
  fromTs: number;
  toTs: number;
  /** What the relay said when it did not replay the span (`replay_cap`, `beyond_window`, …). */
  reason: string;
  /**
   * Set when fixes before the span are known to be gone: once the span is fetched, a hole from here to its first
   * stored fix is recorded with this reason.
   */
  hole?: { fromTs: number; reason: HoleReason };
  createdAt: number;
}

export type BackfillKey = Pick<BackfillSpan, 'uid' | 'epoch' | 'afterOffset'>;

interface SpanRow {
  uid: string;
  epoch: string;
  after_off: number;
  to_off: number;
  from_ts: number;
  to_ts: number;
  reason: string;
  hole_from_ts: number | null;
  hole_reason: HoleReason | null;
  created_at: number;
}

interface HoleRow {
  uid: string;
  from_ts: number;
  to_ts: number;
  reason: HoleReason;
  missing: number | null;
}

export class GapTables {
  private readonly allSpans: Database.Statement;
  private readonly putSpan: Database.Statement;
  private readonly advance: Database.Statement;
  private readonly dropSpan: Database.Statement;
  private readonly dropSpansOf: Database.Statement;
  private readonly putHole: Database.Statement;
  private readonly holesIn: Database.Statement;
  private readonly countPositioned: Database.Statement;
  private readonly tsAt: Database.Statement;
  private readonly firstAfter: Database.Statement;
  private readonly oldHoles: Database.Statement;
  private readonly supersede: Database.Statement;

  constructor(db: Database.Database) {
    this.allSpans = db.prepare('SELECT * FROM backfill_spans ORDER BY created_at, uid');
    this.putSpan = db.prepare(
      `INSERT INTO backfill_spans
         (uid, epoch, after_off, to_off, from_ts, to_ts, reason, hole_from_ts, hole_reason, created_at)
       VALUES (@uid, @epoch, @afterOffset, @toOffset, @fromTs, @toTs, @reason, @holeFromTs, @holeReason, @createdAt)
       ON CONFLICT (uid, epoch, after_off) DO UPDATE SET
         to_off = max(to_off, excluded.to_off), to_ts = max(to_ts, excluded.to_ts)`,
    );
    this.advance = db.prepare(
      'UPDATE backfill_spans SET from_ts = max(from_ts, ?) WHERE uid = ? AND epoch = ? AND after_off = ?',
    );
    this.dropSpan = db.prepare('DELETE FROM backfill_spans WHERE uid = ? AND epoch = ? AND after_off = ?');
    this.dropSpansOf = db.prepare('DELETE FROM backfill_spans WHERE uid = ?');
    this.putHole = db.prepare(
      `INSERT OR IGNORE INTO holes (uid, from_ts, to_ts, reason, missing, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.holesIn = db.prepare(
      `SELECT uid, from_ts, to_ts, reason, missing FROM holes
       WHERE uid = ? AND to_ts >= ? AND from_ts <= ? ORDER BY from_ts, to_ts`,
    );
    this.countPositioned = db
      .prepare('SELECT count(*) FROM fixes WHERE uid = ? AND epoch = ? AND off > ? AND off <= ?')
      .pluck();
    this.tsAt = db.prepare('SELECT ts FROM fixes WHERE uid = ? AND epoch = ? AND off = ?').pluck();
    this.oldHoles = db.prepare('DELETE FROM holes WHERE to_ts < ?');
    this.supersede = db.prepare(
      `UPDATE OR IGNORE fixes SET epoch = epoch || '${SUPERSEDED_SUFFIX}' WHERE uid = ? AND epoch = ? AND off > ?`,
    );
    this.firstAfter = db.prepare(
      'SELECT off AS offset, ts FROM fixes WHERE uid = ? AND epoch = ? AND off > ? ORDER BY off LIMIT 1',
    );
  }

  spans(): BackfillSpan[] {
    return (this.allSpans.all() as SpanRow[]).map((r) => ({
      uid: r.uid,
      epoch: r.epoch,
      afterOffset: r.after_off,
      toOffset: r.to_off,
      fromTs: r.from_ts,
      toTs: r.to_ts,
      reason: r.reason,
      ...(r.hole_from_ts !== null && r.hole_reason !== null
        ? { hole: { fromTs: r.hole_from_ts, reason: r.hole_reason } }
        : {}),
      createdAt: r.created_at,
    }));
  }

  /** Add a span, or widen the one already recorded from the same position. */
  addSpan(span: BackfillSpan): void {
    const { hole, ...columns } = span;
    this.putSpan.run({ ...columns, holeFromTs: hole?.fromTs ?? null, holeReason: hole?.reason ?? null });
  }

  advanceSpan(key: BackfillKey, fromTs: number): void {
    this.advance.run(fromTs, key.uid, key.epoch, key.afterOffset);
  }

  removeSpan(key: BackfillKey): void {
    this.dropSpan.run(key.uid, key.epoch, key.afterOffset);
  }

  /** The member is no longer watched: what was left to fetch is not wanted any more. */
  removeSpansOf(uid: string): void {
    this.dropSpansOf.run(uid);
  }

  recordHole(hole: DataHole, now = Date.now()): void {
    this.putHole.run(hole.uid, hole.from, hole.to, hole.reason, hole.missing ?? null, now);
  }

  /**
   * The relay's Redis lost the epoch's fixes above `offset`, which this store holds, and will number the next
   * fixes from there again: move ours to an epoch of their own (kept, drawn, exported as before), so the unique
   * (uid, epoch, off) key does not take the new fixes for copies of them. Returns how many moved.
   */
  supersedeAbove(uid: string, epoch: string, offset: number): number {
    return this.supersede.run(uid, epoch, offset).changes;
  }

  /** Holes that ended before the retention cutoff go with the fixes around them. */
  deleteHolesBefore(cutoffTs: number): number {
    return this.oldHoles.run(cutoffTs).changes;
  }

  holes(query: HoleQuery): DataHole[] {
    return (this.holesIn.all(query.uid, query.from, query.to) as HoleRow[]).map((r) => ({
      uid: r.uid,
      from: r.from_ts,
      to: r.to_ts,
      reason: r.reason,
      ...(r.missing !== null ? { missing: r.missing } : {}),
    }));
  }

  /** Stored fixes of `epoch` with afterOffset < offset <= toOffset: a backfill's progress, from the index. */
  storedInSpan(uid: string, epoch: string, afterOffset: number, toOffset: number): number {
    return this.countPositioned.get(uid, epoch, afterOffset, toOffset) as number;
  }

  /** The stored fix of `epoch` with the lowest offset above `afterOffset`. */
  firstStoredAfter(
    uid: string,
    epoch: string,
    afterOffset: number,
  ): { offset: number; ts: number } | undefined {
    return this.firstAfter.get(uid, epoch, afterOffset) as { offset: number; ts: number } | undefined;
  }

  /** Fix time of the stored fix at a position, if it is stored. */
  tsAtPosition(uid: string, epoch: string, offset: number): number | undefined {
    return (this.tsAt.get(uid, epoch, offset) as number | undefined) ?? undefined;
  }
}
