/**
 * Opening the database file, with the two faults found at open handled here: a file locked by another process
 * (STORE_LOCKED) and a file that is not a healthy SQLite database (moved aside as `<name>.corrupt-<timestamp>`,
 * never deleted, and a fresh database started, with the problem reported so the station can say so).
 */
import { closeSync, existsSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { StoreError, isBusyCode, isCorruptionCode, sqliteCodeOf } from './errors.js';
import { migrate } from './migrations.js';

const SQLITE_HEADER = 'SQLite format 3\u0000';

export type IntegrityCheck = 'quick' | 'full' | 'none';

/** Above this size a quick_check at every start costs seconds (about 150 ms per 30 MB here). */
export const ALWAYS_CHECK_BELOW_BYTES = 256 * 1024 * 1024;

/**
 * Which check to run at open for `auto`: always after an unclean shutdown (where damage comes from), and at every
 * start while the file is small enough for it to be cheap. A large file after a clean shutdown gets only the
 * header check; SQLite still reports damage it meets later as SQLITE_CORRUPT.
 */
export function chooseIntegrityCheck(uncleanShutdown: boolean, sizeBytes: number): IntegrityCheck {
  return uncleanShutdown || sizeBytes < ALWAYS_CHECK_BELOW_BYTES ? 'quick' : 'none';
}

export interface OpenedDatabase {
  db: Database.Database;
  problem?: { code: 'STORE_CORRUPT'; message: string; movedTo: string };
}

/** Whether the first 16 bytes are SQLite's magic header. Empty or missing files are fine (a new database). */
export function hasSqliteHeader(file: string): boolean {
  if (!existsSync(file) || statSync(file).size === 0) return true;
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(16);
    const read = readSync(fd, buffer, 0, 16, 0);
    return read === 16 && buffer.toString('latin1') === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}

/** `<name>.corrupt-<timestamp>` with a filesystem-safe ISO time, e.g. `lodestar.db.corrupt-20261127T031500123Z`. */
export function corruptName(file: string, now: Date): string {
  return `${file}.corrupt-${now.toISOString().replace(/[-:.]/g, '')}`;
}

function configure(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Take the lock now rather than at the first write.
  db.exec('BEGIN EXCLUSIVE; COMMIT');
}

function check(db: Database.Database, mode: IntegrityCheck): string | undefined {
  if (mode === 'none') return undefined;
  const rows = db.pragma(mode === 'full' ? 'integrity_check(20)' : 'quick_check(20)', {
    simple: false,
  }) as Array<Record<string, string>>;
  const messages = rows.map((r) => Object.values(r)[0]);
  return messages.length === 1 && messages[0] === 'ok' ? undefined : messages.join('; ');
}

function tryOpen(
  file: string,
  mode: IntegrityCheck,
  logger?: Logger,
): Database.Database | { corrupt: string } {
  if (!hasSqliteHeader(file)) return { corrupt: 'the file is not an SQLite database' };
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: 250 });
    // Exclusive before WAL: SQLite then keeps the WAL index in heap memory and holds an OS lock on the file for
    // as long as this connection is open, so a second process cannot read or write it behind our back.
    db.pragma('locking_mode = EXCLUSIVE');
    // Check before anything writes (switching to WAL rewrites the header): a corrupt file is kept as it was.
    const problem = check(db, mode);
    if (problem !== undefined) {
      db.close();
      return { corrupt: `integrity check failed: ${problem}` };
    }
    configure(db);
    migrate(db, logger);
    return db;
  } catch (error) {
    db?.close();
    const code = sqliteCodeOf(error);
    if (isCorruptionCode(code)) return { corrupt: (error as Error).message };
    if (isBusyCode(code)) {
      throw new StoreError('STORE_LOCKED', `another process holds the database ${file}`, { cause: error });
    }
    throw error;
  }
}

export function openDatabase(
  file: string,
  options: { integrityCheck?: IntegrityCheck; logger?: Logger } = {},
): OpenedDatabase {
  const mode = options.integrityCheck ?? 'quick';
  const first = tryOpen(file, mode, options.logger);
  if (!('corrupt' in first)) return { db: first };

  const movedTo = corruptName(file, new Date());
  renameSync(file, movedTo);
  // The WAL and shared-memory files belong to the corrupt database: keep them with it, never replay them into
  // the fresh one.
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, movedTo + suffix);
  }
  const message = `the database was corrupt (${first.corrupt}); it was moved to ${movedTo} and a new one started`;
  options.logger?.error(
    { code: 'STORE_CORRUPT', file, movedTo, reason: first.corrupt },
    'store database corrupt',
  );
  const fresh = tryOpen(file, mode, options.logger);
  if ('corrupt' in fresh)
    throw new StoreError('STORE_CORRUPT', `a fresh database at ${file} failed too: ${fresh.corrupt}`);
  return { db: fresh, problem: { code: 'STORE_CORRUPT', message, movedTo } };
}
