/**
 * The store's faults with real processes and real files: a second station on the same folder, a corrupt file,
 * a full disk (SQLite's own SQLITE_FULL via max_page_count) and a station killed with SIGKILL mid-batch.
 */
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  openSync,
  writeSync,
  closeSync,
  readdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fix } from '../../../protocol/fix.js';
import { DATABASE_FILE_NAME, openTrackStore, StoreError } from './index.js';
import type { FlushResult } from './index.js';
import { CRASH_T0, spawnStoreChild } from './testing/child.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lodestar-faults-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const folder = (name: string) => join(root, name);
const fix = (uid: string, i: number): Fix => ({
  uid,
  ts: 1_780_000_000_000 + i * 1000,
  lat: 30,
  lon: 120,
  crs: 'wgs84',
});

function openError(dir: string): StoreError {
  try {
    openTrackStore({ dir }).close();
  } catch (error) {
    return error as StoreError;
  }
  throw new Error('open succeeded');
}

describe('a second station process on the same folder', () => {
  it('is refused with STORE_LOCKED both ways, and a SIGKILLed holder leaves a lock that is taken over', async () => {
    const dir = folder('locked');
    const holder = spawnStoreChild('hold', dir);
    const { ready } = await holder.waitFor((m) => 'ready' in m);

    const error = openError(dir);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('STORE_LOCKED');
    expect(error.message).toContain(`pid ${String(ready)}`);

    holder.process.kill('SIGKILL');
    await holder.exited;
    // The killed holder's lock file names a dead pid: it is stale and taken over.
    expect(existsSync(join(dir, `${DATABASE_FILE_NAME}.lock`))).toBe(true);
    const store = openTrackStore({ dir });
    try {
      const second = spawnStoreChild('hold', dir);
      const refused = await second.waitFor((m) => 'error' in m);
      expect(refused.error).toBe('STORE_LOCKED');
      expect((await second.exited).code).toBe(3);
    } finally {
      await store.close();
    }
    expect(existsSync(join(dir, `${DATABASE_FILE_NAME}.lock`))).toBe(false);
  });

  it('is refused by SQLite itself when the lock file is gone: the OS lock is the second guard', async () => {
    const dir = folder('sqlite-lock');
    const store = openTrackStore({ dir });
    try {
      // As if someone deleted the lock file (or two processes raced over a stale one).
      rmSync(join(dir, `${DATABASE_FILE_NAME}.lock`));
      const second = spawnStoreChild('hold', dir);
      const refused = await second.waitFor((m) => 'error' in m);
      expect(refused.error).toBe('STORE_LOCKED');
      expect(refused.message).toMatch(/another process holds the database/);
      expect((await second.exited).code).toBe(3);
      // The refused process cleaned up its own lock file and nothing else; our database still works.
      store.enqueue(fix('still-mine', 1));
      expect((await store.flush()).inserted).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});

describe('a corrupt database file', () => {
  it.each([
    [
      'not SQLite at all',
      (file: string) => writeFileSync(file, 'these are the dispatcher notes, not a database\n'.repeat(100)),
    ],
    [
      'SQLite with damaged pages',
      (file: string) => {
        const db = new Database(file);
        db.exec('CREATE TABLE t (a, b); CREATE INDEX t_a ON t (a)');
        const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
        db.transaction(() => {
          for (let i = 0; i < 5000; i++) insert.run(i, 'x'.repeat(50));
        })();
        db.close();
        const fd = openSync(file, 'r+');
        const pageSize = 4096;
        // Scribble over a few interior pages, leaving the header (page 1) intact.
        for (const page of [3, 10, 20, 40])
          writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, page * pageSize);
        closeSync(fd);
      },
    ],
  ])('%s: says so, moves it aside untouched, starts fresh', async (_name, damage) => {
    const dir = folder(`corrupt-${_name.replace(/\W+/g, '-')}`);
    const store0 = openTrackStore({ dir });
    await store0.close();
    const file = join(dir, DATABASE_FILE_NAME);
    rmSync(file);
    damage(file);
    const original = readFileSync(file);

    const store = openTrackStore({ dir });
    try {
      const problem = store.status().problem;
      expect(problem?.code).toBe('STORE_CORRUPT');
      expect(problem?.movedTo).toMatch(/lodestar\.db\.corrupt-\d{8}T\d{9}Z$/);
      expect(readFileSync(problem!.movedTo!)).toEqual(original);
      expect(readdirSync(dir).filter((f) => f.includes('.corrupt-')).length).toBeGreaterThanOrEqual(1);
      store.enqueue(fix('1', 1));
      expect((await store.flush()).inserted).toHaveLength(1);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      await store.close();
    }
    // The fresh database is healthy: the next start reports nothing.
    const again = openTrackStore({ dir });
    expect(again.status().problem).toBeUndefined();
    expect(again.countRange('1', 0, Number.MAX_SAFE_INTEGER)).toBe(1);
    await again.close();
  });
});

describe('a database from a newer Lodestar', () => {
  it('is refused with STORE_TOO_NEW, left as it is, and the folder stays free', async () => {
    const dir = folder('too-new');
    const store = openTrackStore({ dir });
    store.db.pragma('user_version = 99');
    await store.close();
    expect(openError(dir).code).toBe('STORE_TOO_NEW');
    expect(readdirSync(dir).filter((f) => f.includes('.corrupt-') || f.endsWith('.lock'))).toEqual([]);
    const raw = new Database(join(dir, DATABASE_FILE_NAME));
    expect(raw.pragma('user_version', { simple: true })).toBe(99);
    raw.close();
  });
});

describe('a full disk', () => {
  it('fails loudly, keeps what is stored, keeps the batch, and resumes once there is space', async () => {
    const dir = folder('full');
    const store = openTrackStore({ dir, retryDelayMs: 50 });
    try {
      store.enqueue(Array.from({ length: 1000 }, (_, i) => fix('early', i)));
      await store.flush();
      store.db.pragma('wal_checkpoint(TRUNCATE)');
      const pages = store.db.pragma('page_count', { simple: true }) as number;
      // SQLite's real SQLITE_FULL: the database may not grow past its current size.
      store.db.pragma(`max_page_count = ${pages}`);

      const results: FlushResult[] = [];
      const off = store.onFlush((r) => results.push(r));
      store.enqueue(Array.from({ length: 20_000 }, (_, i) => fix('late', i)));
      const failed = await store.flush();
      expect(failed.error?.code).toBe('STORE_DISK_FULL');
      expect(failed.failed).toBeGreaterThan(0);
      expect(failed.inserted).toHaveLength(0);
      const status = store.status();
      // Counted once per fix that failed; the rest of the queue waits behind the kept batch.
      expect(status.writeErrors).toBe(failed.failed);
      expect(status.lastError?.code).toBe('STORE_DISK_FULL');
      expect(status.pending).toBe(20_000);

      // Still running: the timer keeps trying and reporting, queries still answer, earlier rows are intact.
      await new Promise((r) => setTimeout(r, 300));
      expect(results.filter((r) => r.error?.code === 'STORE_DISK_FULL').length).toBeGreaterThan(1);
      expect(store.countRange('early', 0, Number.MAX_SAFE_INTEGER)).toBe(1000);
      expect(store.range({ uid: 'early', from: 0, to: Number.MAX_SAFE_INTEGER }).count).toBe(1000);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      // Retried fixes are not counted again.
      expect(store.status().writeErrors).toBe(failed.failed);

      // Space again: the kept batch and new fixes are written.
      store.db.pragma('max_page_count = 1073741823');
      store.enqueue(fix('late', 20_000));
      const resumed = await store.flush();
      expect(resumed.error).toBeUndefined();
      expect(store.countRange('late', 0, Number.MAX_SAFE_INTEGER)).toBe(20_001);
      expect(store.status().pending).toBe(0);
      off();
    } finally {
      await store.close();
    }
    expect(statSync(join(dir, DATABASE_FILE_NAME)).size).toBeGreaterThan(0);
  });
});

describe('a station killed with SIGKILL during heavy writes', () => {
  it('reopens cleanly with every fix whose flush was reported committed', async () => {
    const dir = folder('killed');
    const writer = spawnStoreChild('write', dir);
    await writer.waitFor((m) => 'ready' in m);
    // Let several batches commit, then kill it in the middle of the next ones.
    await writer.waitFor((m) => typeof m.committed === 'number' && m.committed - CRASH_T0 > 60_000, 60_000);
    await new Promise((r) => setTimeout(r, 150));
    writer.process.kill('SIGKILL');
    const { signal } = await writer.exited;
    expect(signal).toBe('SIGKILL');
    const reported = Math.max(
      ...writer.messages.map((m) => (typeof m.committed === 'number' ? m.committed : -1)),
    );

    const store = openTrackStore({ dir, integrityCheck: 'full' });
    try {
      expect(store.status().problem).toBeUndefined();
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      // Fix times are consecutive milliseconds: every one up to the last reported commit must be there.
      expect(store.countRange('crash', CRASH_T0, reported)).toBe(reported - CRASH_T0 + 1);
      const c = store.range({ uid: 'crash', from: CRASH_T0, to: reported });
      expect(c.ts[c.count - 1]).toBe(reported);
    } finally {
      await store.close();
    }
  });
});
