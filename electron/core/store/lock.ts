/**
 * One station process per data folder. A lock file beside the database holds the owner's pid: a second process
 * finds it, sees the pid alive and refuses with STORE_LOCKED (naming the pid). A lock left by a killed process
 * names a dead pid and is taken over. SQLite's exclusive locking mode (see open-database.ts) is the second guard,
 * held by the OS, for the rare race of two processes taking over the same stale lock.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { StoreError } from './errors.js';

/** Databases this process holds: a second open of the same file in one process is also refused. */
const heldHere = new Set<string>();

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; only ESRCH means it is gone.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Pure decision on an existing lock file's content. */
export function lockHolderState(
  content: string,
  selfPid: number,
  alive: (pid: number) => boolean,
): 'held' | 'stale' {
  const pid = Number.parseInt(content.trim().split(/\s/)[0] ?? '', 10);
  if (!Number.isSafeInteger(pid) || pid <= 0) return 'stale';
  if (pid === selfPid) return 'stale'; // our own leftover; `heldHere` covers a real second open in this process
  return alive(pid) ? 'held' : 'stale';
}

export interface StoreLock {
  readonly path: string;
  /** A previous owner's lock was left behind: it did not close cleanly (killed, crashed, power lost). */
  readonly tookOverStale: boolean;
  release(): void;
}

export function acquireLock(databaseFile: string): StoreLock {
  const path = `${databaseFile}.lock`;
  if (heldHere.has(databaseFile)) {
    throw new StoreError('STORE_LOCKED', `the database ${databaseFile} is already open in this process`);
  }
  let tookOverStale = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      heldHere.add(databaseFile);
      return { path, tookOverStale, release: () => release(databaseFile, path) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let content = '';
    try {
      content = readFileSync(path, 'utf8');
    } catch {
      continue; // removed between our open and read: try again
    }
    if (lockHolderState(content, process.pid, isProcessAlive) === 'held') {
      throw new StoreError(
        'STORE_LOCKED',
        `another station (pid ${content.trim()}) is using ${databaseFile}; close it first`,
      );
    }
    tookOverStale = true;
    try {
      unlinkSync(path);
    } catch {
      // someone else removed the stale lock first; the next open decides who gets it
    }
  }
  throw new StoreError('STORE_LOCKED', `could not take the lock ${path}: another process keeps taking it`);
}

function release(databaseFile: string, path: string): void {
  heldHere.delete(databaseFile);
  try {
    // Only remove the lock if it is still ours (a racing process may have replaced a stale one).
    if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
  } catch {
    // already gone
  }
}
