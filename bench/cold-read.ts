/**
 * The store read a period's first look pays for each member-day (no hour of it in the station's range cache),
 * from the hour blobs (electron/core/store/hour-columns.ts) and from the rows, on a closed benchmark database;
 * and what each costs on disk (SQLite's `dbstat`). The two reads alternate which goes first; both find SQLite's
 * and the OS's caches as the other left them, so the figure is the decoding, not the disk.
 */
import { TrackQueries } from '../electron/core/store/queries.js';
import { HourColumns } from '../electron/core/store/hour-columns.js';
import { openDatabase } from '../electron/core/store/open-database.js';

export interface ColdReads {
  blobsMs: number[];
  rowsMs: number[];
  memberDays: number;
  fixes: number;
  rowBytes: number;
  blobBytes: number;
  blobs: number;
}

const DAY_MS = 86_400_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export function coldReads(file: string, uids: readonly string[], dayStart: number, rounds = 3): ColdReads {
  const { db } = openDatabase(file, { integrityCheck: 'none' });
  try {
    const queries = new TrackQueries(db);
    const hours = new HourColumns(db, (uid, from, to) => queries.range(uid, from, to));
    const blobsMs: number[] = [];
    const rowsMs: number[] = [];
    let fixes = 0;
    for (let r = 0; r < rounds; r++) {
      for (const [i, uid] of uids.entries()) {
        const time = (read: () => { count: number }) => {
          const t = performance.now();
          const n = read().count;
          return { ms: performance.now() - t, n };
        };
        const fromBlobs = () => time(() => hours.range(uid, dayStart, dayStart + DAY_MS - 1));
        const fromRows = () => time(() => queries.range(uid, dayStart, dayStart + DAY_MS - 1));
        let blobs: { ms: number; n: number };
        let rows: { ms: number; n: number };
        if ((r + i) % 2 === 0) {
          blobs = fromBlobs();
          rows = fromRows();
        } else {
          rows = fromRows();
          blobs = fromBlobs();
        }
        if (blobs.n !== rows.n)
          throw new Error(`member ${uid}: ${blobs.n} fixes from the blobs, ${rows.n} from the rows`);
        blobsMs.push(blobs.ms);
        rowsMs.push(rows.ms);
        if (r === 0) fixes += blobs.n;
      }
    }
    if (hours.hoursFromBlobs === 0) throw new Error('no hour came from a blob: was the packer waited for?');
    const size = (names: string[]) =>
      db
        .prepare(
          `SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (${names.map(() => '?').join(', ')})`,
        )
        .pluck()
        .get(...names) as number;
    return {
      blobsMs,
      rowsMs,
      memberDays: uids.length,
      fixes,
      rowBytes: size(['fixes', 'fixes_position']),
      blobBytes: size(['hour_columns', 'sqlite_autoindex_hour_columns_1']),
      blobs: db.prepare('SELECT count(*) FROM hour_columns').pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

export function coldReadReport(c: ColdReads): string {
  const ms = (xs: number[]) => `${median(xs).toFixed(1)} ms`;
  const all = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(', ');
  const mb = (bytes: number) => `${(bytes / c.memberDays / 1e6).toFixed(2)} MB`;
  return [
    `| the store's read of a member-day (${Math.round(c.fixes / c.memberDays).toLocaleString('en')} fixes), no range cache | median | all (ms) |`,
    '| --- | --- | --- |',
    `| from the hour blobs (${c.blobs} blobs for ${c.memberDays} member-days) | ${ms(c.blobsMs)} | ${all(c.blobsMs)} |`,
    `| from the rows | ${ms(c.rowsMs)} | ${all(c.rowsMs)} |`,
    `| disk per member-day: rows and their index / hour blobs | ${mb(c.rowBytes)} / ${mb(c.blobBytes)} | |`,
  ].join('\n');
}
