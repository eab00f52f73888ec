/**
 * The hour cache in front of `range`: the same columns as SQLite gives, whatever the range's edges, and never a
 * stale hour once the writer stored a fix in it or retention deleted some.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackColumns } from '../../../contract/station-api.js';
import { arrivalFlags } from '../../../contract/track/arrival.js';
import type { Fix } from '../../../protocol/fix.js';
import { openTrackStore, type TrackStore } from './index.js';
import { emptyColumns } from '../../../contract/track/columns.js';
import { BLOCK_MS, RangeCache } from './range-cache.js';

const H0 = Math.floor(1_780_000_000_000 / BLOCK_MS) * BLOCK_MS;
const fix = (uid: string, ts: number): Fix => ({
  uid,
  ts,
  lat: 22.5 + (ts % 1000) * 1e-6,
  lon: 113.9,
  crs: 'gcj02',
  speed: 3,
});

let dir: string;
let store: TrackStore;

/** The member's fixes read row by row in plain SQL, the arrival byte worked out by `arrivalFlags`. */
function direct(uid: string, from: number, to: number): TrackColumns {
  const rows = store.db
    .prepare(
      'SELECT ts, lat, speed, received_at, replayed FROM fixes WHERE uid = ? AND ts BETWEEN ? AND ? ORDER BY ts',
    )
    .raw()
    .all(uid, from, to) as [number, number, number | null, number | null, number | null][];
  const c = emptyColumns(uid, rows.length);
  rows.forEach(([ts, lat, speed, receivedAt, replayed], i) => {
    c.ts[i] = ts;
    c.lat[i] = lat;
    c.speed[i] = speed ?? Number.NaN;
    c.arrival[i] = arrivalFlags(ts, receivedAt ?? undefined, replayed === 1);
  });
  c.count = c.totalCount = rows.length;
  return c;
}

const plain = (c: TrackColumns) => ({
  count: c.count,
  ts: [...c.ts.subarray(0, c.count)],
  lat: [...c.lat.subarray(0, c.count)],
  arrival: [...c.arrival.subarray(0, c.count)],
  speed: [...c.speed.subarray(0, c.count)],
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lodestar-range-cache-'));
  store = openTrackStore({ dir });
  // Three hours at one fix every 10 s, with the hours' first and last milliseconds taken.
  const fixes: Fix[] = [];
  for (let t = H0; t < H0 + 3 * BLOCK_MS; t += 10_000) fixes.push(fix('m', t));
  fixes.push(fix('m', H0 + BLOCK_MS - 1), fix('m', H0 + 2 * BLOCK_MS - 1));
  store.enqueue(fixes, { receivedAt: H0 + 30_000, replay: false });
  await store.flush();
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('range through the hour cache', () => {
  it.each([
    ['whole hours', H0, H0 + 3 * BLOCK_MS],
    ['within one hour', H0 + 5_000, H0 + 600_000],
    ['across an hour edge, ends on fixes', H0 + BLOCK_MS - 10_000, H0 + BLOCK_MS + 10_000],
    ['ends on the last millisecond of an hour', H0, H0 + BLOCK_MS - 1],
    ['a single millisecond with a fix', H0 + 2 * BLOCK_MS - 1, H0 + 2 * BLOCK_MS - 1],
    ['before any fix', H0 - 2 * BLOCK_MS, H0 - 1],
    ['a fraction of a millisecond', H0 + 9_999.5, H0 + 10_000.5],
    ['to before from', H0 + 10_000, H0],
  ])('%s: the same as SQLite, twice', (_name, from, to) => {
    const truth = plain(direct('m', from, to));
    expect(plain(store.range({ uid: 'm', from, to }))).toEqual(truth);
    expect(plain(store.range({ uid: 'm', from, to }))).toEqual(truth);
  });

  it('a fix stored in a cached hour is there on the next read', async () => {
    const from = H0;
    const to = H0 + BLOCK_MS - 1;
    const before = store.range({ uid: 'm', from, to }).count;
    store.enqueue(fix('m', H0 + 5), { receivedAt: H0 + 7_200_000, replay: true });
    await store.flush();
    const after = store.range({ uid: 'm', from, to });
    expect(after.count).toBe(before + 1);
    expect(plain(after)).toEqual(plain(direct('m', from, to)));
  });

  it('rows deleted by retention are gone from the next read', async () => {
    store.range({ uid: 'm', from: H0, to: H0 + 3 * BLOCK_MS });
    await store.deleteOlderThan(H0 + BLOCK_MS);
    expect(store.range({ uid: 'm', from: H0, to: H0 + BLOCK_MS - 1 }).count).toBe(0);
    expect(plain(store.range({ uid: 'm', from: H0, to: H0 + 3 * BLOCK_MS }))).toEqual(
      plain(direct('m', H0, H0 + 3 * BLOCK_MS)),
    );
  });

  it('stays within its byte limit, oldest-used hours first, and still answers right', () => {
    const reads: number[] = [];
    const cache = new RangeCache((uid, from, to) => {
      reads.push(from);
      return direct(uid, from, to);
    }, 400 * 38);
    const all = plain(direct('m', H0, H0 + 3 * BLOCK_MS));
    expect(plain(cache.range('m', H0, H0 + 3 * BLOCK_MS))).toEqual(all);
    expect(cache.cachedBytes).toBeLessThanOrEqual(400 * 38 + 512);
    reads.length = 0;
    // The newest hour was kept; the older ones were pushed out and are read again.
    cache.range('m', H0 + 2 * BLOCK_MS, H0 + 3 * BLOCK_MS - 1);
    expect(reads).toEqual([]);
    cache.range('m', H0 + BLOCK_MS, H0 + 2 * BLOCK_MS - 1);
    expect(reads).toEqual([H0 + BLOCK_MS]);
  });
});
