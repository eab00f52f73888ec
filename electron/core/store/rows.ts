/**
 * Fix ⇄ row mapping, in one place so the writer, the queries and the benchmark's ceiling agree on the columns.
 */
import { CRS_VALUES } from '../../../protocol/fix-limits.js';
import { fixProblem } from '../../../protocol/fix-check.js';
import type { Crs, Fix } from '../../../protocol/fix.js';

export const FIX_COLUMNS =
  'uid, ts, lat, lon, crs, speed, accuracy, altitude, heading, vacc, hacc, epoch, off, cid' as const;
/** The fix's own columns and how it arrived (migration 3); reads of fixes take FIX_COLUMNS only. */
export const INSERT_COLUMNS = `${FIX_COLUMNS}, received_at, replayed` as const;
export const INSERT_FIX_SQL = `INSERT OR IGNORE INTO fixes (${INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * How a batch of fixes reached the station: when (station clock, ms) and whether the relay sent them live or
 * replayed them (catch-up after a reconnect, a range request, a backfill from its history). One object is shared
 * by every fix of an `enqueue` call.
 */
export interface Arrival {
  receivedAt: number;
  replay: boolean;
}

const crsIndex: Record<Crs, number> = { gcj02: 0, wgs84: 1, bd09: 2 };
// Kept in step with CRS_VALUES, which TrackColumns.crs indexes into.
for (const [i, crs] of CRS_VALUES.entries())
  if (crsIndex[crs] !== i) throw new Error('CRS_VALUES order changed');

export function crsToIndex(crs: Crs): number {
  return crsIndex[crs];
}

export function indexToCrs(index: number): Crs {
  return CRS_VALUES[index] ?? 'gcj02';
}

/**
 * Whether a fix can be stored: the relay's own by-value check (protocol/fix-check.ts), at the store's boundary (no
 * zod: it runs for every fix on the write path). A fix with either of epoch/offset must carry both.
 */
export function isStorableFix(fix: Fix): boolean {
  const positioned =
    typeof fix === 'object' && fix !== null && (fix.epoch !== undefined || fix.offset !== undefined);
  return fixProblem(fix, positioned) === undefined;
}

const orNull = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

export function rowToFix(row: readonly unknown[]): Fix {
  const fix: Fix = {
    uid: row[0] as string,
    ts: row[1] as number,
    lat: row[2] as number,
    lon: row[3] as number,
    crs: indexToCrs(row[4] as number),
  };
  if (row[5] !== null) fix.speed = row[5] as number;
  if (row[6] !== null) fix.accuracy = row[6] as number;
  if (row[7] !== null) fix.altitude = row[7] as number;
  if (row[8] !== null) fix.heading = row[8] as number;
  if (row[9] !== null) fix.verticalAccuracy = row[9] as number;
  if (row[10] !== null) fix.horizontalAccuracy = row[10] as number;
  if (row[11] !== null) {
    fix.epoch = row[11] as string;
    fix.offset = row[12] as number;
  }
  if (row[13] !== null) fix.cid = row[13] as string;
  return fix;
}

/** Run an insert of one fix without building a row array (this is the write path's inner loop). */
export function runInsert(
  statement: { run(...params: unknown[]): { changes: number } },
  fix: Fix,
  arrival: Arrival,
): number {
  const positioned = fix.epoch !== undefined;
  return statement.run(
    fix.uid,
    fix.ts,
    fix.lat,
    fix.lon,
    crsIndex[fix.crs],
    orNull(fix.speed),
    orNull(fix.accuracy),
    orNull(fix.altitude),
    orNull(fix.heading),
    orNull(fix.verticalAccuracy),
    orNull(fix.horizontalAccuracy),
    positioned ? fix.epoch : null,
    // Unpositioned fixes have offset 0: the key column cannot be NULL (see migration 2).
    positioned ? (fix.offset ?? 0) : 0,
    fix.cid ?? null,
    arrival.receivedAt,
    arrival.replay ? 1 : 0,
  ).changes;
}
