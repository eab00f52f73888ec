/**
 * Read queries over the fixes table. Every one is an index range scan on the (uid, ts) primary key or the
 * (uid, epoch, off) position index; none scans the whole table.
 */
import type Database from 'better-sqlite3';
import type { Fix, FixPosition } from '../../../protocol/fix.js';
import type { TrackColumns } from '../../../contract/station-api.js';
import { emptyColumns } from '../../../contract/track/columns.js';
import {
  ARRIVAL_LATE,
  ARRIVAL_REPLAYED,
  ARRIVAL_UNKNOWN,
  LATE_AFTER_MS,
} from '../../../contract/track/arrival.js';
import { pickRows } from './downsample.js';
import { SUPERSEDED_SUFFIX } from './gaps.js';
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

const PACK_FUNCTION = 'lodestar_pack_columns';

/**
 * The arrival byte (contract/track/arrival.ts `arrivalFlags`) computed by SQLite, sent with the CRS index in one
 * argument: each argument of the aggregate costs ~3 ms of a member's day.
 */
const CRS_BITS = 4;
const CRS_MASK = (1 << CRS_BITS) - 1;
const ARRIVAL_SQL = `(CASE WHEN replayed = 1 THEN ${ARRIVAL_REPLAYED} ELSE 0 END |
  CASE WHEN received_at IS NULL THEN ${ARRIVAL_UNKNOWN}
       WHEN received_at - ts > ${LATE_AFTER_MS} THEN ${ARRIVAL_LATE} ELSE 0 END)`;

function sortByTs(columns: TrackColumns): TrackColumns {
  const order = Uint32Array.from({ length: columns.count }, (_, i) => i).sort(
    (a, b) => columns.ts[a]! - columns.ts[b]!,
  );
  return { ...pickRows(columns, order), downsampled: false };
}

export class TrackQueries {
  private readonly latestOne: Database.Statement;
  private readonly newestPositioned: Database.Statement;
  private readonly maxOffset: Database.Statement;
  private readonly distinctUids: Database.Statement;
  private readonly lastTsOf: Database.Statement;
  private readonly count: Database.Statement;
  private readonly pack: Database.Statement;
  /** Where the aggregate writes during one `range` call (synchronous, so one at a time). */
  private packTarget: TrackColumns | undefined;
  private packOutOfOrder = false;
  private readonly page: Database.Statement;

  constructor(db: Database.Database) {
    this.latestOne = db
      .prepare(`SELECT ${FIX_COLUMNS} FROM fixes WHERE uid = ? ORDER BY ts DESC LIMIT 1`)
      .raw();
    this.newestPositioned = db
      // Superseded epochs (gaps.ts) are the station's own record, never a position the relay can continue from.
      .prepare(
        `SELECT epoch FROM fixes WHERE uid = ? AND epoch IS NOT NULL AND epoch NOT LIKE '%${SUPERSEDED_SUFFIX}'
         ORDER BY ts DESC LIMIT 1`,
      )
      .pluck();
    this.maxOffset = db.prepare(`SELECT max(off) FROM fixes WHERE uid = ? AND epoch = ?`).pluck();
    this.distinctUids = db.prepare(DISTINCT_UIDS_SQL).pluck();
    this.lastTsOf = db.prepare(`SELECT max(ts) FROM fixes WHERE uid = ?`).pluck();
    this.count = db.prepare(`SELECT count(*) FROM fixes WHERE uid = ? AND ts BETWEEN ? AND ?`).pluck();
    const step = (
      i: number,
      ts: number,
      lat: number,
      lon: number,
      speed: number | null,
      accuracy: number | null,
      heading: number | null,
      crsAndArrival: number,
    ) => {
      const t = this.packTarget;
      if (t === undefined || i >= t.ts.length) return i; // only a concurrent change could get here; ignore it
      if (i > 0 && ts < t.ts[i - 1]!) this.packOutOfOrder = true;
      t.ts[i] = ts;
      t.lat[i] = lat;
      t.lon[i] = lon;
      t.speed[i] = speed ?? NaN;
      t.accuracy[i] = accuracy ?? NaN;
      t.heading[i] = heading ?? NaN;
      t.crs[i] = crsAndArrival & CRS_MASK;
      t.arrival[i] = crsAndArrival >> CRS_BITS;
      return i + 1;
    };
    // The typings allow one argument per step; SQLite passes one per column.
    db.aggregate(PACK_FUNCTION, {
      start: 0,
      step: step as unknown as (total: number, next: number) => number,
    });
    this.pack = db
      .prepare(
        `SELECT ${PACK_FUNCTION}(ts, lat, lon, speed, accuracy, heading, crs | ((${ARRIVAL_SQL}) << ${CRS_BITS}))
         FROM fixes WHERE uid = ? AND ts BETWEEN ? AND ?`,
      )
      .pluck();
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
   * A member's range as columns. Rows go straight from SQLite into preallocated typed arrays through a JS
   * aggregate function: no per-row array or object is built, which is what makes `.all()` (~180 ms for a day at
   * 1 Hz) and even `.raw().iterate()` (~95 ms) slow; this takes ~25 ms (docs/benchmarks.md, "Station store").
   */
  range(uid: string, from: number, to: number): TrackColumns {
    const capacity = this.countRange(uid, from, to);
    const target = emptyColumns(uid, capacity);
    this.packTarget = target;
    this.packOutOfOrder = false;
    let count: number;
    try {
      count = (this.pack.get(uid, from, to) as number | null) ?? 0;
    } finally {
      this.packTarget = undefined;
    }
    // The primary key scan yields rows by ts; should SQLite ever choose another plan, sort rather than lie.
    const columns =
      count === capacity
        ? target
        : pickRows(
            target,
            Uint32Array.from({ length: count }, (_, i) => i),
          );
    columns.count = count;
    columns.totalCount = count;
    return this.packOutOfOrder ? sortByTs(columns) : columns;
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
