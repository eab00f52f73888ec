/**
 * Upgrading a database file written by an older station: every row of every table survives unchanged, and the
 * columns a newer version adds start empty (an arrival stored before migration 3 is unknown, never invented).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ARRIVAL_LATE, ARRIVAL_REPLAYED, ARRIVAL_UNKNOWN } from '../../../contract/track/arrival.js';
import { MIGRATIONS, schemaVersion } from './migrations.js';
import { openTrackStore } from './index.js';

const T0 = 1_780_000_000_000;
const OLD_COLUMNS = 'uid, ts, lat, lon, crs, speed, accuracy, altitude, heading, vacc, hacc, epoch, off, cid';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lodestar-migrate-'));
  file = join(dir, 'lodestar.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A file as a station of schema version 2 left it: its migrations only, and rows in every table. */
function writeVersion2File(): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  for (const [k, sql] of MIGRATIONS.slice(0, 2).entries()) {
    db.exec(sql);
    db.pragma(`user_version = ${k + 1}`);
  }
  const insert = db.prepare(
    `INSERT INTO fixes (${OLD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < 5_000; i++) {
      const positioned = i % 3 !== 0;
      insert.run(
        i % 2 ? 'a' : 'b',
        T0 + i * 1000,
        22.5 + i * 1e-5,
        113.9 + i * 1e-5,
        i % 3,
        i % 4 ? i / 10 : null,
        i % 5 ? 8 : null,
        i % 7 ? 12.5 : null,
        i % 6 ? i % 360 : null,
        null,
        i % 9 ? 3 : null,
        positioned ? 'e1' : null,
        positioned ? i : 0,
        i % 11 ? `c${i}` : null,
      );
    }
  })();
  db.prepare('INSERT INTO watched VALUES (?, ?, ?, ?)').run('a', 'Courier A', '#ff0000', T0);
  db.prepare('INSERT INTO settings VALUES (?, ?)').run('locale', '"zh-CN"');
  db.prepare(
    `INSERT INTO backfill_spans (uid, epoch, after_off, to_off, from_ts, to_ts, reason, hole_from_ts, hole_reason, created_at)
     VALUES ('a', 'e1', 10, 900, ?, ?, 'replay_cap', NULL, NULL, ?)`,
  ).run(T0, T0 + 900_000, T0);
  db.prepare('INSERT INTO holes VALUES (?, ?, ?, ?, ?, ?)').run('b', T0, T0 + 60_000, 'lost', 12, T0);
  db.close();
}

/** Every row of a table in a stable order (the order rows come back in is not part of the comparison). */
const dump = (db: Database.Database, table: string, columns = '*') =>
  (db.prepare(`SELECT ${columns} FROM ${table}`).raw().all() as unknown[][])
    .map((row) => JSON.stringify(row))
    .sort();

describe('migrating an older database file', () => {
  it('keeps every row of a version 2 file and leaves its arrivals unknown', async () => {
    writeVersion2File();
    const before = new Database(file, { readonly: true });
    const tables = {
      fixes: dump(before, 'fixes', OLD_COLUMNS),
      watched: dump(before, 'watched'),
      settings: dump(before, 'settings'),
      backfill_spans: dump(before, 'backfill_spans'),
      holes: dump(before, 'holes'),
    };
    before.close();
    expect(tables.fixes).toHaveLength(5_000);

    const store = openTrackStore({ file, integrityCheck: 'full' });
    try {
      expect(schemaVersion(store.db)).toBe(MIGRATIONS.length);
      expect(dump(store.db, 'fixes', OLD_COLUMNS)).toEqual(tables.fixes);
      for (const table of ['watched', 'settings', 'backfill_spans', 'holes'] as const)
        expect(dump(store.db, table), table).toEqual(tables[table]);
      expect(
        store.db
          .prepare('SELECT count(*) FROM fixes WHERE received_at IS NOT NULL OR replayed IS NOT NULL')
          .pluck()
          .get(),
      ).toBe(0);

      const old = store.range({ uid: 'a', from: T0, to: T0 + 10_000_000 });
      expect(old.count).toBe(2_500);
      expect(new Set(old.arrival)).toEqual(new Set([ARRIVAL_UNKNOWN]));

      // New fixes next to the old ones carry how they arrived.
      const late = T0 + 5_000_500;
      store.enqueue([{ uid: 'a', ts: late, lat: 22.6, lon: 114, crs: 'gcj02' }], {
        receivedAt: late + 3_600_000,
        replay: true,
      });
      store.enqueue([{ uid: 'a', ts: late + 1000, lat: 22.6, lon: 114, crs: 'gcj02' }], {
        receivedAt: late + 1500,
        replay: false,
      });
      await store.flush();
      const after = store.range({ uid: 'a', from: late, to: late + 1000 });
      expect([...after.arrival]).toEqual([ARRIVAL_REPLAYED | ARRIVAL_LATE, 0]);
    } finally {
      await store.close();
    }

    // Opening the upgraded file again runs nothing and changes nothing.
    const reopened = openTrackStore({ file });
    try {
      expect(dump(reopened.db, 'fixes', OLD_COLUMNS)).toHaveLength(5_002);
    } finally {
      await reopened.close();
    }
  });
});
