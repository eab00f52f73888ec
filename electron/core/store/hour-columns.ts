/**
 * The `hour_columns` table (migration 4): closed member-hours as blobs (hour-blob.ts), and the range read that
 * takes an hour from its blob when there is a good one and from the rows otherwise, with the same result either
 * way (hour-columns.test.ts). A day at 1 Hz is then 24 blob reads instead of 86,400 rows (docs/benchmarks.md,
 * "History").
 *
 * Whoever changes an hour's rows deletes its blob in the same transaction: the writer after its inserts
 * (`dropTouched`), retention with its deletes (`dropUpTo`). The packer (hour-packer.ts) writes blobs.
 */
import type Database from 'better-sqlite3';
import type { TrackColumns } from '../../../contract/station-api.js';
import { concatColumns } from '../../../contract/track/columns.js';
import type { Fix } from '../../../protocol/fix.js';
import { BLOBS_SUPPORTED, decodeHour, encodeHour, HOUR_MS, hourOf, type Rejection } from './hour-blob.js';

type ReadRows = (uid: string, from: number, to: number) => TrackColumns;

/** First index with ts >= t, or with ts > t when `after` (ts sorted). */
function bound(ts: Float64Array, count: number, t: number, after: boolean): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid]! < t || (after && ts[mid] === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class HourColumns {
  private readonly hoursIn: Database.Statement;
  private readonly blobOf: Database.Statement;
  private readonly has: Database.Statement;
  private readonly put: Database.Statement;
  private readonly drop: Database.Statement;
  private readonly dropMemberUpTo: Database.Statement;
  /** Hours a range read took from a blob, and blobs it refused (then read the rows). */
  hoursFromBlobs = 0;
  rejected = 0;
  lastRejection: Rejection | undefined;
  /** Blobs deleted because their hour's rows changed. */
  dropped = 0;
  /**
   * Told of an hour whose blob was refused, or deleted while rows of the hour remain (retention's last hour), so
   * the packer writes it again.
   */
  onStale: ((uid: string, hour: number, rebuild: boolean) => void) | undefined;

  constructor(
    db: Database.Database,
    private readonly readRows: ReadRows,
  ) {
    this.hoursIn = db
      .prepare('SELECT hour FROM hour_columns WHERE uid = ? AND hour BETWEEN ? AND ? ORDER BY hour')
      .pluck();
    this.blobOf = db.prepare('SELECT columns FROM hour_columns WHERE uid = ? AND hour = ?').pluck();
    this.has = db.prepare('SELECT 1 FROM hour_columns WHERE uid = ? AND hour = ?').pluck();
    this.put = db.prepare('INSERT OR REPLACE INTO hour_columns (uid, hour, columns) VALUES (?, ?, ?)');
    this.drop = db.prepare('DELETE FROM hour_columns WHERE uid = ? AND hour = ?');
    this.dropMemberUpTo = db.prepare('DELETE FROM hour_columns WHERE uid = ? AND hour <= ?');
  }

  /**
   * The member's fixes with from <= ts <= to, identical to `readRows(uid, from, to)`: each hour with a good blob
   * from it, every other stretch from the rows in one read.
   */
  range(uid: string, from: number, to: number): TrackColumns {
    if (!BLOBS_SUPPORTED || !(to >= from) || !Number.isFinite(from) || !Number.isFinite(to))
      return this.readRows(uid, from, to);
    // The range cache asks one hour at a time: one lookup then.
    const hours =
      hourOf(from) === hourOf(to)
        ? [hourOf(from)]
        : (this.hoursIn.all(uid, hourOf(from), hourOf(to)) as number[]);
    if (hours.length === 0) return this.readRows(uid, from, to);
    const parts: { columns: TrackColumns; start: number; end: number }[] = [];
    const rows = (a: number, b: number) => {
      if (b < a) return;
      const columns = this.readRows(uid, a, b);
      if (columns.count > 0) parts.push({ columns, start: 0, end: columns.count });
    };
    // Fix times are integers (the store refuses others): the rows before an hour end at its start - 1.
    let cursor = from;
    for (const hour of hours) {
      const start = hour * HOUR_MS;
      const end = start + HOUR_MS - 1;
      const columns = this.blob(uid, hour);
      if (columns === undefined) continue; // read with the rows around it
      rows(cursor, Math.min(start - 1, to));
      const ts = columns.ts;
      const a = from > start ? bound(ts, columns.count, from, false) : 0;
      const b = to < end ? bound(ts, columns.count, to, true) : columns.count;
      if (b > a) parts.push({ columns, start: a, end: b });
      cursor = end + 1;
    }
    rows(cursor, to);
    // One part that is a whole read (rows, or a blob decoded for this call) is already fresh: no copy.
    const only = parts.length === 1 ? parts[0]! : undefined;
    if (only && only.start === 0 && only.end === only.columns.ts.length) return only.columns;
    return concatColumns(uid, parts);
  }

  /** The hour's columns from its blob, or undefined when it has none or one not to be trusted. */
  private blob(uid: string, hour: number): TrackColumns | undefined {
    const blob = this.blobOf.get(uid, hour) as Buffer | undefined;
    if (blob === undefined) return undefined;
    const decoded = decodeHour(blob, uid, hour);
    if (!decoded.ok) {
      this.rejected++;
      this.lastRejection = decoded.why;
      this.onStale?.(uid, hour, true);
      return undefined;
    }
    this.hoursFromBlobs++;
    return decoded.columns;
  }

  hasBlob(uid: string, hour: number): boolean {
    return this.has.get(uid, hour) !== undefined;
  }

  /** Store the hour's columns (fixes of that hour only, by time), replacing any blob it had. False: no fixes. */
  write(uid: string, hour: number, columns: TrackColumns): boolean {
    if (columns.count === 0) {
      this.drop.run(uid, hour);
      return false;
    }
    this.put.run(uid, hour, encodeHour(columns, hour));
    return true;
  }

  /** Inside the writer's transaction, after its inserts: the hours of newly stored fixes lose their blobs. */
  dropTouched(inserted: readonly Fix[]): void {
    if (inserted.length === 0) return;
    // Distinct member-hours first: a batch of 10,000 live fixes touches a few dozen, one DELETE each.
    const touched = new Map<string, number[]>();
    for (const fix of inserted) {
      const hour = hourOf(fix.ts);
      let hours = touched.get(fix.uid);
      if (hours === undefined) touched.set(fix.uid, (hours = []));
      if (hours[hours.length - 1] !== hour && !hours.includes(hour)) hours.push(hour);
    }
    for (const [uid, hours] of touched)
      for (const hour of hours) this.dropped += this.drop.run(uid, hour).changes;
  }

  /** Inside a retention transaction that deleted the member's rows up to `lastTs`: every hour up to its hour. */
  dropUpTo(uid: string, lastTs: number): void {
    const hour = hourOf(lastTs);
    this.dropped += this.dropMemberUpTo.run(uid, hour).changes;
    // The rest of that hour's rows (if any) stay and deserve a blob again.
    this.onStale?.(uid, hour, false);
  }
}
