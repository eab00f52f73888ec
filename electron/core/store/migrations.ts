/**
 * Numbered schema migrations. `PRAGMA user_version` holds how many have run; each runs in its own transaction, so
 * a crash mid-upgrade leaves the previous version intact. Never edit a published migration: append a new one.
 */
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { StoreError } from './errors.js';

export const MIGRATIONS: readonly string[] = [
  // 1: fixes clustered by (member, time): "member between two times" is one contiguous range scan, and the
  // primary key doubles as the "same member, same fix time" duplicate rule. The partial unique index is the
  // "same member, same relay position" rule and finds the newest position to resume from.
  `CREATE TABLE fixes (
     uid TEXT NOT NULL,
     ts INTEGER NOT NULL,
     lat REAL NOT NULL,
     lon REAL NOT NULL,
     crs INTEGER NOT NULL,
     speed REAL,
     accuracy REAL,
     altitude REAL,
     heading REAL,
     vacc REAL,
     hacc REAL,
     epoch TEXT,
     off INTEGER,
     cid TEXT,
     PRIMARY KEY (uid, ts)
   ) WITHOUT ROWID;
   CREATE UNIQUE INDEX fixes_position ON fixes (uid, epoch, off) WHERE epoch IS NOT NULL;
   CREATE TABLE watched (
     uid TEXT PRIMARY KEY,
     label TEXT NOT NULL,
     color TEXT NOT NULL,
     added_at INTEGER NOT NULL
   );
   CREATE TABLE settings (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );`,
  // 2: every distinct fix is kept. (uid, ts) dropped distinct fixes sharing a millisecond; now a positioned fix is
  // told apart by its offset (the (uid, epoch, off) index is its identity) and an unpositioned one (off 0) by its
  // place. The key still starts with (uid, ts), so a member's time range stays one contiguous scan. Two epochs'
  // fixes with the same offset, millisecond and place are stored once: that is one report sent twice, not two.
  // Spans still to fetch from the relay's history and spans it no longer holds (holes) get tables of their own.
  `CREATE TABLE fixes_v2 (
     uid TEXT NOT NULL,
     ts INTEGER NOT NULL,
     lat REAL NOT NULL,
     lon REAL NOT NULL,
     crs INTEGER NOT NULL,
     speed REAL,
     accuracy REAL,
     altitude REAL,
     heading REAL,
     vacc REAL,
     hacc REAL,
     epoch TEXT,
     off INTEGER NOT NULL DEFAULT 0,
     cid TEXT,
     PRIMARY KEY (uid, ts, off, lat, lon)
   ) WITHOUT ROWID;
   INSERT INTO fixes_v2
     SELECT uid, ts, lat, lon, crs, speed, accuracy, altitude, heading, vacc, hacc, epoch, coalesce(off, 0), cid
     FROM fixes;
   DROP TABLE fixes;
   ALTER TABLE fixes_v2 RENAME TO fixes;
   CREATE UNIQUE INDEX fixes_position ON fixes (uid, epoch, off) WHERE epoch IS NOT NULL;
   CREATE TABLE backfill_spans (
     uid TEXT NOT NULL,
     epoch TEXT NOT NULL,
     after_off INTEGER NOT NULL,
     to_off INTEGER NOT NULL,
     from_ts INTEGER NOT NULL,
     to_ts INTEGER NOT NULL,
     reason TEXT NOT NULL,
     hole_from_ts INTEGER,
     hole_reason TEXT,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (uid, epoch, after_off)
   );
   CREATE TABLE holes (
     uid TEXT NOT NULL,
     from_ts INTEGER NOT NULL,
     to_ts INTEGER NOT NULL,
     reason TEXT NOT NULL,
     missing INTEGER,
     recorded_at INTEGER NOT NULL,
     PRIMARY KEY (uid, from_ts, to_ts, reason)
   );`,
  // 3: how each fix arrived, so history can show what came late and what a catch-up or backfill filled in.
  // `received_at` is the station's clock when the fix reached it; `replayed` is 1 for a fix the relay replayed
  // (catch-up, range request, backfill) rather than sent live. Added columns only: SQLite records them in the
  // schema without rewriting a row, and rows stored before this version keep NULL (arrival unknown).
  `ALTER TABLE fixes ADD COLUMN received_at INTEGER;
   ALTER TABLE fixes ADD COLUMN replayed INTEGER;`,
  // 4: each closed member-hour once more as packed columns (hour-blob.ts), so a period's first read is a blob per
  // hour instead of every row (~3,600 an hour at 1 Hz). Derived data: the rows stay the truth; any insert into an
  // hour and retention delete its blob in the same transaction, and the packer (hour-packer.ts) writes it again.
  // A rowid table, not WITHOUT ROWID: its rows are ~137 kB, where SQLite advises against clustering by key.
  `CREATE TABLE hour_columns (
     uid TEXT NOT NULL,
     hour INTEGER NOT NULL,
     columns BLOB NOT NULL,
     PRIMARY KEY (uid, hour)
   );`,
];

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Bring the database to the latest schema. Returns the version it started at. */
export function migrate(db: Database.Database, logger?: Logger): number {
  const from = schemaVersion(db);
  if (from > MIGRATIONS.length) {
    throw new StoreError(
      'STORE_TOO_NEW',
      `the database has schema version ${from}, this station knows up to ${MIGRATIONS.length}: it was written by a newer Lodestar`,
    );
  }
  for (let version = from + 1; version <= MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version - 1]!);
      db.pragma(`user_version = ${version}`);
    }).exclusive();
    logger?.info({ version }, 'store schema migrated');
  }
  return from;
}
