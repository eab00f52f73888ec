import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fix } from '../../../protocol/fix.js';
import { MIGRATIONS, schemaVersion } from './migrations.js';
import { openTrackStore } from './index.js';
import type { FlushResult, TrackStore } from './index.js';

const T0 = 1_780_000_000_000;
const fix = (uid: string, i: number, extra: Partial<Fix> = {}): Fix => ({
  uid,
  lat: 39.9 + i * 1e-5,
  lon: 116.4 + i * 1e-5,
  ts: T0 + i * 1000,
  crs: 'gcj02',
  ...extra,
});

let dir: string;
let store: TrackStore;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lodestar-store-'));
  store = openTrackStore({ dir });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('writes', () => {
  it('creates the schema with numbered migrations in WAL mode', () => {
    expect(schemaVersion(store.db)).toBe(MIGRATIONS.length);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
  });

  it('stores duplicates once and reports only new fixes', async () => {
    const batch = [fix('dup', 1, { epoch: 'e1', offset: 1 }), fix('dup', 2, { epoch: 'e1', offset: 2 })];
    store.enqueue(batch);
    store.enqueue(batch[0]!); // same member, same time, same position
    store.enqueue(fix('dup', 99, { ts: batch[1]!.ts })); // same member and fix time, other coordinates: kept
    store.enqueue(fix('dup', 99, { ts: batch[1]!.ts })); // ... and the same again: a duplicate
    store.enqueue(fix('dup', 3, { epoch: 'e1', offset: 2 })); // same member and position, other time
    store.enqueue(fix('other', 1, { ts: batch[0]!.ts })); // same time, another member: a different fix
    const result = await store.flush();
    expect(result.inserted.map((f) => `${f.uid}@${f.ts - T0}`)).toEqual([
      'dup@1000',
      'dup@2000',
      'dup@2000',
      'other@1000',
    ]);
    expect(result.duplicates).toBe(3);
    expect(result.failed).toBe(0);
    expect(store.countRange('dup', 0, T0 * 2)).toBe(3);
  });

  it('flushes on its own within about 100 ms of an enqueue', async () => {
    const seen = new Promise<FlushResult>((resolve) => {
      const off = store.onFlush((r) => {
        if (r.inserted.some((f) => f.uid === 'timer')) {
          off();
          resolve(r);
        }
      });
    });
    const started = Date.now();
    store.enqueue(fix('timer', 1));
    const result = await seen;
    expect(result.inserted).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1000); // a 100 ms timer, with slack for a loaded CI machine
  });

  it('writes a large batch in maxBatch transactions without waiting for the timer', async () => {
    const many = Array.from({ length: 25_000 }, (_, i) => fix('bulk', i));
    store.enqueue(many);
    const result = await store.flush();
    expect(result.inserted).toHaveLength(25_000);
    expect(store.status().pending).toBe(0);
  });

  it('keeps writing when a flush listener throws', async () => {
    const off = store.onFlush(() => {
      throw new Error('listener bug');
    });
    store.enqueue(fix('listener', 1));
    await new Promise((r) => setTimeout(r, 250)); // the timer's flush runs the throwing listener
    off();
    store.enqueue(fix('listener', 2));
    expect((await store.flush()).inserted).toHaveLength(1);
    expect(store.countRange('listener', 0, T0 * 2)).toBe(2);
  });

  it('counts and skips a malformed fix, keeps the rest', async () => {
    const before = store.status().dropped;
    store.enqueue([fix('bad', 1), { ...fix('bad', 2), lat: Number.NaN }, fix('bad', 3)]);
    const result = await store.flush();
    expect(result.inserted).toHaveLength(2);
    expect(store.status().dropped).toBe(before + 1);
    expect(store.status().lastError?.code).toBe('STORE_BAD_FIX');
  });
});

describe('queries', () => {
  beforeAll(async () => {
    store.enqueue([
      fix('q', 3, { speed: 2.5, accuracy: 12, heading: 90, altitude: 40 }),
      fix('q', 1, { crs: 'wgs84' }),
      fix('q', 2, { crs: 'bd09', epoch: 'old', offset: 50 }),
      fix('q', 4, { epoch: 'new', offset: 7 }),
      fix('q', 5, { epoch: 'new', offset: 9 }),
      fix('q', 6, { ts: T0 + 5500, epoch: 'new', offset: 8 }),
      fix('q', 7, { cid: 'c-7' }),
    ]);
    await store.flush();
  });

  it('returns a range as sorted columns with NaN for missing values', () => {
    const c = store.range({ uid: 'q', from: T0 + 1000, to: T0 + 3000 });
    expect(c.count).toBe(3);
    expect([...c.ts]).toEqual([T0 + 1000, T0 + 2000, T0 + 3000]);
    expect(c.ts).toBeInstanceOf(Float64Array);
    expect([...c.crs]).toEqual([1, 2, 0]);
    expect(c.speed[0]).toBeNaN();
    expect(c.speed[2]).toBe(2.5);
    expect(c.accuracy[2]).toBe(12);
    expect(c.heading[2]).toBe(90);
    expect(c.lat[0]).toBe(39.9 + 1e-5);
    expect(c).toMatchObject({ downsampled: false, totalCount: 3 });
  });

  it('returns an empty range as empty columns', () => {
    const c = store.range({ uid: 'nobody', from: 0, to: T0 * 2 });
    expect(c.count).toBe(0);
    expect(c.ts.length).toBe(0);
  });

  it('downsamples a long range to maxPoints', () => {
    const c = store.range({ uid: 'bulk', from: 0, to: T0 * 2, maxPoints: 500 });
    expect(c).toMatchObject({ count: 500, downsampled: true, totalCount: 25_000 });
    expect(c.ts[0]).toBe(T0);
    expect(c.ts[499]).toBe(T0 + 24_999_000);
  });

  it('gives the latest fix per member with every field back', () => {
    const latest = store.latest(['q', 'timer', 'nobody']);
    expect(latest.map((f) => f.uid)).toEqual(['q', 'timer']);
    expect(latest[0]).toEqual(fix('q', 7, { cid: 'c-7' }));
    expect(store.latest().map((f) => f.uid)).toEqual(
      expect.arrayContaining(['bad', 'bulk', 'dup', 'other', 'q', 'timer']),
    );
  });

  it('gives the last position per member: newest epoch, highest offset in it', () => {
    const positions = store.lastPositions(['q', 'dup', 'timer']);
    expect(Object.fromEntries(positions)).toEqual({
      q: { epoch: 'new', offset: 9 },
      dup: { epoch: 'e1', offset: 2 },
    });
  });

  it('iterates a range in chunks of fixes', () => {
    const chunks = [...store.iterateRange('q', T0, T0 + 10_000, 3)];
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 1]);
    expect(chunks.flat().map((f) => f.ts)).toEqual(
      [1000, 2000, 3000, 4000, 5000, 5500, 7000].map((t) => T0 + t),
    );
    expect(chunks[0]![2]).toMatchObject({ speed: 2.5, altitude: 40, accuracy: 12, heading: 90 });
  });

  it('lists recently active members newest first', () => {
    const recent = store.recentMembers(T0 + 6000);
    expect(recent.map((m) => m.uid)).toEqual(['bulk', 'q']);
    expect(recent[1]).toEqual({ uid: 'q', lastTs: T0 + 7000 });
  });

  it('computes stats for a range', () => {
    const stats = store.stats({ uid: 'bulk', from: T0, to: T0 + 10_000 });
    expect(stats).toMatchObject({
      uid: 'bulk',
      count: 11,
      firstTs: T0,
      lastTs: T0 + 10_000,
      durationMs: 10_000,
    });
    expect(stats.distanceM).toBeGreaterThan(10);
  });
});

describe('retention', () => {
  it('deletes fixes older than the cutoff across members in chunks, nothing newer', async () => {
    const before = store.countRange('bulk', 0, T0 * 2);
    // The event loop keeps turning while retention runs: 12,000 rows are at least three chunks.
    let turns = 0;
    let spinning = true;
    const spin = () => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const deleted = await store.deleteOlderThan(T0 + 12_000_000);
    spinning = false;
    expect(turns).toBeGreaterThanOrEqual(3);
    expect(store.countRange('bulk', 0, T0 * 2)).toBe(before - 12_000);
    expect(deleted).toBeGreaterThanOrEqual(12_000);
    expect(store.countRange('bulk', 0, T0 + 12_000_000 - 1)).toBe(0);
    expect(store.countRange('q', 0, T0 * 2)).toBe(0);
  });

  it('applies retention in days; 0 keeps everything', async () => {
    expect(await store.applyRetention(0, T0 * 2)).toBe(0);
    const left = store.countRange('bulk', 0, T0 * 2);
    expect(await store.applyRetention(1, T0 + 24_999_000 + 24 * 3600 * 1000)).toBe(left - 1);
  });
});

describe('watch list and settings', () => {
  it('keeps the watch list and settings across a reopen', async () => {
    store.putWatched('42', { label: 'Ambulance 1' }, 1000);
    store.putWatched('7', { color: '#ff0000' }, 2000);
    expect(store.putWatched('42', { color: 'teal' }, 3000)).toEqual({
      uid: '42',
      label: 'Ambulance 1',
      color: 'teal',
      addedAt: 1000,
    });
    store.putWatched('9');
    expect(store.removeWatched('9')).toBe(true);
    expect(store.removeWatched('9')).toBe(false);
    store.updateSettings({ relayUrl: 'wss://relay.example/ws', retentionDays: 30, locale: 'en' });
    store.updateSettings({ staleAfterMs: 60_000, offlineAfterMs: 300_000, desktopNotifications: false });
    const badInput = expect.objectContaining({ code: 'STORE_BAD_INPUT' });
    expect(() => store.updateSettings({ staleAfterMs: 5 })).toThrow(badInput);
    // Stale after offline, against the stored offline threshold: nothing of the update is written.
    expect(() => store.updateSettings({ staleAfterMs: 600_000, locale: 'zh-CN' })).toThrow(badInput);
    expect(() => store.updateSettings({ retentionDays: -1 })).toThrow(badInput);
    expect(() => store.updateSettings({ relayUrl: 'http://x', locale: 'en' })).toThrow(badInput);
    expect(() => store.updateSettings({ token: 'secret' } as never)).toThrow(badInput);
    expect(() => store.putWatched('7', { color: 'url(x)' })).toThrow(badInput);
    expect(() => store.putWatched('a b')).toThrow(badInput);

    await store.close();
    store = openTrackStore({ dir });
    expect(store.listWatched()).toEqual([
      { uid: '42', label: 'Ambulance 1', color: 'teal', addedAt: 1000 },
      expect.objectContaining({ uid: '7', label: '7', color: '#ff0000', addedAt: 2000 }),
    ]);
    expect(store.getSettings()).toEqual({
      relayUrl: 'wss://relay.example/ws',
      retentionDays: 30,
      locale: 'en',
      basemapCrs: 'gcj02',
      tileUrl: '',
      basemap: '',
      tiandituKey: '',
      tileCache: 'auto',
      tileCacheMb: 256,
      staleAfterMs: 60_000,
      offlineAfterMs: 300_000,
      desktopNotifications: false,
    });
    expect(store.countRange('bulk', 0, T0 * 2)).toBe(1);
  });
});
