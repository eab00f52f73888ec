/**
 * Stable codes for everything the track store can fail with. The station shows them (status `storeProblem`,
 * `storeWriteErrors`) and the hosts pass them on; a code once published never changes meaning.
 */
export const STORE_ERROR_CODES = [
  /** Another station process holds the database (lock file with a live pid, or SQLite's exclusive lock). */
  'STORE_LOCKED',
  /** The database file was not SQLite or failed its integrity check; it was moved aside, a fresh one started. */
  'STORE_CORRUPT',
  /** The disk (or SQLite's page limit) is full: the batch was kept for retry, nothing stored was lost. */
  'STORE_DISK_FULL',
  /** An I/O error from the operating system while writing. Kept for retry like a full disk. */
  'STORE_IO',
  /** Any other failed write. */
  'STORE_WRITE_FAILED',
  /** The database was written by a newer Lodestar (its schema version is unknown here). */
  'STORE_TOO_NEW',
  /** A fix handed to the store was not storable (missing or non-finite fields). Counted and skipped. */
  'STORE_BAD_FIX',
  /** A watch-list entry or setting that does not validate (bad member id, colour, URL, …). Nothing was written. */
  'STORE_BAD_INPUT',
  /** More fixes waited for retry than the store keeps in memory; the oldest were dropped. */
  'STORE_OVERFLOW',
  /** The store was used after close(). */
  'STORE_CLOSED',
] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** SQLite result codes (better-sqlite3's `SqliteError.code`) that mean "the file is not a usable database". */
export function isCorruptionCode(sqliteCode: string | undefined): boolean {
  return (
    sqliteCode === 'SQLITE_NOTADB' || sqliteCode === 'SQLITE_CORRUPT' || sqliteCode === 'SQLITE_CORRUPT_VTAB'
  );
}

export function isBusyCode(sqliteCode: string | undefined): boolean {
  return (
    sqliteCode !== undefined &&
    (sqliteCode.startsWith('SQLITE_BUSY') || sqliteCode.startsWith('SQLITE_LOCKED'))
  );
}

/**
 * What a failed write means for the batch. Space and I/O problems are usually transient (the dispatcher frees
 * space), so the batch is kept and retried; anything else would fail again the same way.
 */
export function classifyWriteError(sqliteCode: string | undefined): { code: StoreErrorCode; retry: boolean } {
  if (sqliteCode === 'SQLITE_FULL') return { code: 'STORE_DISK_FULL', retry: true };
  if (sqliteCode !== undefined && sqliteCode.startsWith('SQLITE_IOERR')) {
    return { code: sqliteCode === 'SQLITE_IOERR_NOSPC' ? 'STORE_DISK_FULL' : 'STORE_IO', retry: true };
  }
  if (isBusyCode(sqliteCode)) return { code: 'STORE_LOCKED', retry: true };
  return { code: 'STORE_WRITE_FAILED', retry: false };
}

export function sqliteCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
