/**
 * Which fixes are one fix: a positioned fix is (uid, epoch, offset), an unpositioned one (uid, ts, lat, lon). And a
 * store made with the first schema (PRIMARY KEY (uid, ts)) keeps every row when it is opened by this version.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Fix } from '../../../protocol/fix.js';
import { MIGRATIONS, schemaVersion } from './migrations.js';
import { openTrackStore } from './index.js';

const T0 = 1_780_000_000_000;
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lodestar-identity-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const base: Fix = { uid: '42', lat: 39.9, lon: 116.4, ts: T0, crs: 'gcj02' };
const at = (extra: Partial<Fix>): Fix => ({ ...base, ...extra });

describe('fix identity', () => {
  it.each<[string, Fix, Fix, number]>([
    ['positioned, same ms, other offsets', at({ epoch: 'e', offset: 1 }), at({ epoch: 'e', offset: 2 }), 2],
    [
      'positioned, same ms and place, other offsets',
      at({ epoch: 'e', offset: 1 }),
      at({ epoch: 'e', offset: 2, lat: 39.9 }),
      2,
    ],
    [
      'positioned, same position, other time',
      at({ epoch: 'e', offset: 1 }),
      at({ epoch: 'e', offset: 1, ts: T0 + 5 }),
      1,
    ],
    [
      'positioned, same offset in two epochs, other ms',
      at({ epoch: 'a', offset: 1 }),
      at({ epoch: 'b', offset: 1, ts: T0 + 1 }),
      2,
    ],
    ['unpositioned, same ms, other place', at({}), at({ lat: 39.91 }), 2],
    ['unpositioned, same ms and place', at({}), at({ speed: 3 }), 1],
    ['unpositioned, other ms', at({}), at({ ts: T0 + 1 }), 2],
    ['one positioned, one not, same ms and place', at({ epoch: 'e', offset: 1 }), at({}), 2],
    ['other members, same ms', at({ epoch: 'e', offset: 1 }), at({ uid: '43', epoch: 'e', offset: 1 }), 2],
  ])('%s → %i stored', async (_name, first, second, stored) => {
    const store = openTrackStore({ dir: tempDir() });
    store.enqueue([first, second]);
    const result = await store.flush();
    expect(result.inserted).toHaveLength(stored);
    expect(result.duplicates).toBe(2 - stored);
    await store.close();
  });

  it('keeps 20 positioned fixes that share one millisecond (the first schema kept 1)', async () => {
    const store = openTrackStore({ dir: tempDir() });
    const burst = Array.from({ length: 20 }, (_, i) =>
      at({ epoch: 'e', offset: i + 1, lat: 39.9 + (i % 3) * 1e-5 }),
    );
    store.enqueue(burst);
    store.enqueue(burst); // the same fixes again (a replay): stored once
    await store.flush();
    expect(store.countRange('42', T0, T0)).toBe(20);
    expect(store.lastPositions(['42']).get('42')).toEqual({ epoch: 'e', offset: 20 });
    await store.close();
  });
});

describe('migration from the first schema', () => {
  it('keeps every row, positions and all, and then keeps distinct fixes of one millisecond', async () => {
    const dir = tempDir();
    const file = join(dir, 'lodestar.db');
    const old = new Database(file);
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    const insert = old.prepare(
      `INSERT INTO fixes (uid, ts, lat, lon, crs, speed, accuracy, altitude, heading, vacc, hacc, epoch, off, cid)
       VALUES (?, ?, ?, ?, 0, ?, NULL, NULL, NULL, NULL, NULL, ?, ?, ?)`,
    );
    old.transaction(() => {
      for (let i = 0; i < 500; i++) insert.run('7', T0 + i * 1000, 23.1, 113.3, 2.5, 'e1', i + 1, null);
      for (let i = 0; i < 50; i++) insert.run('8', T0 + i * 1000, 23.2, 113.2, null, null, null, `c${i}`);
    })();
    old
      .prepare('INSERT INTO watched (uid, label, color, added_at) VALUES (?, ?, ?, ?)')
      .run('7', 'Van', '#123456', 1);
    old.close();

    const store = openTrackStore({ dir });
    expect(schemaVersion(store.db)).toBe(MIGRATIONS.length);
    expect(store.countRange('7', 0, T0 * 2)).toBe(500);
    expect(store.countRange('8', 0, T0 * 2)).toBe(50);
    expect(store.lastPositions(['7', '8'])).toEqual(new Map([['7', { epoch: 'e1', offset: 500 }]]));
    expect(store.latest(['8'])[0]).toEqual({
      uid: '8',
      ts: T0 + 49_000,
      lat: 23.2,
      lon: 113.2,
      crs: 'gcj02',
      cid: 'c49',
    });
    expect(store.latest(['7'])[0]).toMatchObject({ epoch: 'e1', offset: 500, speed: 2.5 });
    expect(store.listWatched()).toEqual([{ uid: '7', label: 'Van', color: '#123456', addedAt: 1 }]);

    // What the first schema dropped: a second fix of member 7 in the millisecond of one already stored.
    store.enqueue({ uid: '7', ts: T0, lat: 23.1, lon: 113.3, crs: 'gcj02', epoch: 'e1', offset: 501 });
    store.enqueue({ uid: '7', ts: T0, lat: 23.1, lon: 113.3, crs: 'gcj02', epoch: 'e1', offset: 1 }); // stored
    expect((await store.flush()).inserted).toHaveLength(1);
    expect(store.countRange('7', T0, T0)).toBe(2);
    await store.close();
  });
});
