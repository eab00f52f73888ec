/**
 * Read queries over the fixes table. Every one is an index range scan on the (uid, ts) primary key or the
 * (uid, epoch, off) position index; none scans the whole table.
 */
import type Database from 'better-sqlite3';
import type { Fix, FixPosition } from '../../../protocol/fix.js';
import type { TrackColumns } from '../api.js';
import { FIX_COLUMNS, rowToFix } from './rows.js';
import type { MemberActivity } from './types.js';

/** Distinct members without reading every row: a "loose index scan" that hops from one uid to the next. */
const DISTINCT_UIDS_SQL = `
  WITH RECURSIVE members(uid) AS (
    SELECT min(uid) FROM fixes
    UNION ALL
    SELECT (SELECT min(uid) FROM fixes WHERE uid > members.uid) FROM members WHERE members.uid IS NOT NULL
  )
  SELECT uid FROM members WHERE uid IS NOT NULL`;

export class TrackQueries {
  private readonly latestOne: Database.Statement;
  private readonly newestPositioned: Database.Statement;
  private readonly maxOffset: Database.Statement;
  private readonly distinctUids: Database.Statement;
  private readonly lastTsOf: Database.Statement;
  private readonly count: Database.Statement;
  private readonly columns: Database.Statement;
  private readonly page: Database.Statement;

  constructor(db: Database.Database) {
    this.latestOne = db
      .prepare(`SELECT ${FIX_COLUMNS} FROM fixes WHERE uid = ? ORDER BY ts DESC LIMIT 1`)
      .raw();
    this.newestPositioned = db
      .prepare(`SELECT epoch FROM fixes WHERE uid = ? AND epoch IS NOT NULL ORDER BY ts DESC LIMIT 1`)
      .pluck();
    this.maxOffset = db.prepare(`SELECT max(off) FROM fixes WHERE uid = ? AND epoch = ?`).pluck();
    this.distinctUids = db.prepare(DISTINCT_UIDS_SQL).pluck();
    this.lastTsOf = db.prepare(`SELECT max(ts) FROM fixes WHERE uid = ?`).pluck();
    this.count = db.prepare(`SELECT count(*) FROM fixes WHERE uid = ? AND ts BETWEEN ? AND ?`).pluck();
    this.columns = db
      .prepare(
        `SELECT ts, lat, lon, speed, accuracy, heading, crs FROM fixes WHERE uid = ? AND ts BETWEEN ? AND ? ORDER BY ts`,
      )
      .raw();
    this.page = db
      .prepare(`SELECT ${FIX_COLUMNS} FROM fixes WHERE uid = ? AND ts >= ? AND ts <= ? ORDER BY ts LIMIT ?`)
      .raw();
  }

  members(): string[] {
    return this.distinctUids.all() as string[];
  }

  latest(uids: readonly string[] = this.members()): Fix[] {
    const out: Fix[] = [];
    for (const uid of uids) {
      const row = this.latestOne.get(uid) as unknown[] | undefined;
      if (row) out.push(rowToFix(row));
    }
    return out;
  }

  /**
   * The newest position per member: the epoch of the member's newest positioned fix, and the highest offset
   * stored in that epoch (not the offset of the newest fix: a device clock may step back while offsets grow).
   */
  lastPositions(uids: readonly string[]): Map<string, FixPosition> {
    const out = new Map<string, FixPosition>();
    for (const uid of uids) {
      const epoch = this.newestPositioned.get(uid) as string | undefined;
      if (epoch === undefined) continue;
      const offset = this.maxOffset.get(uid, epoch) as number | null;
      if (offset !== null) out.set(uid, { epoch, offset });
    }
    return out;
  }

  recentMembers(sinceTs: number): MemberActivity[] {
    const out: MemberActivity[] = [];
    for (const uid of this.members()) {
      const lastTs = this.lastTsOf.get(uid) as number | null;
      if (lastTs !== null && lastTs >= sinceTs) out.push({ uid, lastTs });
    }
    return out.sort((a, b) => b.lastTs - a.lastTs);
  }

  countRange(uid: string, from: number, to: number): number {
    return this.count.get(uid, from, to) as number;
  }

  /**
   * Fill typed arrays straight from raw rows: a day at 1 Hz is 86,400 rows, and building one object per row is
   * what makes `.all()` slow (see docs/benchmarks.md). The count comes first so the arrays are allocated once.
   */
  range(uid: string, from: number, to: number): TrackColumns {
    const capacity = this.countRange(uid, from, to);
    const ts = new Float64Array(capacity);
    const lat = new Float64Array(capacity);
    const lon = new Float64Array(capacity);
    const speed = new Float32Array(capacity);
    const accuracy = new Float32Array(capacity);
    const heading = new Float32Array(capacity);
    const crs = new Uint8Array(capacity);
    let i = 0;
    for (const row of this.columns.iterate(uid, from, to) as IterableIterator<
      [number, number, number, number | null, number | null, number | null, number]
    >) {
      if (i === capacity) break; // a write landed between count and scan: keep the arrays' size
      ts[i] = row[0];
      lat[i] = row[1];
      lon[i] = row[2];
      speed[i] = row[3] ?? NaN;
      accuracy[i] = row[4] ?? NaN;
      heading[i] = row[5] ?? NaN;
      crs[i] = row[6];
      i++;
    }
    return { uid, count: i, ts, lat, lon, speed, accuracy, heading, crs, downsampled: false, totalCount: i };
  }

  /**
   * Fixes in chunks by keyset pagination on ts. No statement stays open between chunks, so the writer can commit
   * while an export is streaming (better-sqlite3 refuses writes on a connection with an open iterator).
   */
  *iterateRange(uid: string, from: number, to: number, chunkSize = 5_000): Generator<Fix[]> {
    let cursor = from;
    for (;;) {
      const rows = this.page.all(uid, cursor, to, chunkSize) as unknown[][];
      if (rows.length === 0) return;
      const fixes = rows.map(rowToFix);
      yield fixes;
      if (rows.length < chunkSize) return;
      cursor = fixes[fixes.length - 1]!.ts + 1;
    }
  }
}
