/**
 * Ranges read through the hour blobs equal the rows, byte for byte, whatever the range's edges: on a generated
 * day once packed, after a late fix, a backfill, retention, and with a blob gone bad. The oracle reads the rows in
 * plain SQL, one row at a time, so neither the blob path nor the store's row aggregate judges itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TrackColumns } from '../../../contract/station-api.js';
import { arrivalFlags } from '../../../contract/track/arrival.js';
import { emptyColumns } from '../../../contract/track/columns.js';
import type { Fix } from '../../../protocol/fix.js';
import { generateDay } from '../../../simulator/day.js';
import { COLUMN_LAYOUT, HOUR_MS } from './hour-blob.js';
import { openTrackStore, type TrackStore } from './index.js';

const DAY_START = Date.UTC(2026, 5, 1);
const UID = '42';
const LATE_HOUR = 5;
/** 13:00-13:40 reach the store only later, replayed by a backfill. */
const BACKFILLED = [DAY_START + 13 * HOUR_MS, DAY_START + 13 * HOUR_MS + 40 * 60_000] as const;

let dir: string;
let store: TrackStore;
let day: Fix[];

function oracle(uid: string, from: number, to: number): TrackColumns {
  const rows = store.db
    .prepare(
      `SELECT ts, lat, lon, speed, accuracy, heading, crs, received_at, replayed FROM fixes
       WHERE uid = ? AND ts BETWEEN ? AND ? ORDER BY ts, off, lat, lon`,
    )
    .raw()
    .all(uid, from, to) as (number | null)[][];
  const c = emptyColumns(uid, rows.length);
  rows.forEach(([ts, lat, lon, speed, accuracy, heading, crs, receivedAt, replayed], i) => {
    c.ts[i] = ts!;
    c.lat[i] = lat!;
    c.lon[i] = lon!;
    c.speed[i] = speed ?? Number.NaN;
    c.accuracy[i] = accuracy ?? Number.NaN;
    c.heading[i] = heading ?? Number.NaN;
    c.crs[i] = crs!;
    c.arrival[i] = arrivalFlags(ts!, receivedAt ?? undefined, replayed === 1);
  });
  c.count = c.totalCount = rows.length;
  return c;
}

const bytes = (a: ArrayBufferView, n: number, size: number) => Buffer.from(a.buffer, a.byteOffset, n * size);

function expectSame(from: number, to: number): void {
  const got = store.range({ uid: UID, from, to });
  const want = oracle(UID, from, to);
  const where = `[${from - DAY_START}, ${to - DAY_START}]`;
  expect(got.count, where).toBe(want.count);
  expect(got.totalCount, where).toBe(want.count);
  for (const { name, bytes: size } of COLUMN_LAYOUT)
    expect(
      Buffer.compare(bytes(got[name], got.count, size), bytes(want[name], want.count, size)),
      `${name} ${where}`,
    ).toBe(0);
}

/** Hour edges, a millisecond either side, inside one hour, across several, the whole day and beyond. */
function ranges(): [number, number][] {
  const h = (k: number) => DAY_START + k * HOUR_MS;
  const out: [number, number][] = [
    [h(0), h(24) - 1],
    [h(-2), h(26)],
    [h(3), h(4) - 1],
    [h(3), h(4)],
    [h(3) - 1, h(4) - 1],
    [h(3) + 1, h(3) + 1],
    [h(LATE_HOUR) - 500, h(LATE_HOUR + 2) + 500],
    [h(12) + 1234.5, h(14) + 0.5],
    [h(13) + 60_000, h(13) + 120_000],
    [h(30), h(31)],
    [h(5), h(4)],
  ];
  let seed = 7;
  const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
  for (let k = 0; k < 12; k++) {
    const from = Math.floor(DAY_START - HOUR_MS + random() * 26 * HOUR_MS);
    const length = [1, 59_000, HOUR_MS, 5 * HOUR_MS + 17, 30 * HOUR_MS][k % 5]!;
    out.push([from, from + Math.floor(random() * length)]);
  }
  return out;
}

const blobCount = () => store.db.prepare('SELECT count(*) FROM hour_columns').pluck().get() as number;
const hasBlob = (hour: number) =>
  store.db
    .prepare('SELECT count(*) FROM hour_columns WHERE uid = ? AND hour = ?')
    .pluck()
    .get(UID, DAY_START / HOUR_MS + hour) === 1;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lodestar-hour-columns-'));
  // No cache in front: every range read goes to the blobs or rows. No packer timer: the test packs.
  store = openTrackStore({ dir, rangeCacheBytes: 0, packHours: false });
  day = generateDay({ seed: 3, uid: UID, startMs: DAY_START, dropouts: [20 * 60_000], jitterM: 10, stops: 4 })
    .fixes as Fix[];
  const live = day.filter((f) => f.ts < BACKFILLED[0] || f.ts >= BACKFILLED[1]);
  for (let i = 0; i < live.length; i += 30)
    store.enqueue(live.slice(i, i + 30), {
      receivedAt: live[Math.min(i + 29, live.length - 1)]!.ts + 2_000,
      replay: false,
    });
  await store.flush();
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ranges through the hour blobs', () => {
  it('equal the rows before anything is packed', () => {
    expect(blobCount()).toBe(0);
    for (const [from, to] of ranges()) expectSame(from, to);
    expect(store.status().hourColumns?.fromBlobs).toBe(0);
  });

  it('equal the rows once every closed hour is packed, read from the blobs', () => {
    expect(store.packClosedHours()).toBe(24);
    expect(blobCount()).toBe(24);
    expect(store.packClosedHours()).toBe(0);
    for (const [from, to] of ranges()) expectSame(from, to);
    expect(store.status().hourColumns?.fromBlobs).toBeGreaterThan(50);
    expect(store.status().hourColumns?.rejected).toBe(0);
  });

  it('drop the hour a late fix goes into, in the same flush, and pack it again', async () => {
    const before = store.status().hourColumns!.dropped;
    const dropped: boolean[] = [];
    // Heard before any caller's listener could read: the blob is gone when the flush is committed.
    const off = store.onFlush(() => dropped.push(!hasBlob(LATE_HOUR)));
    store.enqueue(
      {
        uid: UID,
        ts: DAY_START + LATE_HOUR * HOUR_MS + 1_500,
        lat: 31.3,
        lon: 121.5,
        crs: 'wgs84',
        speed: 2,
      },
      { receivedAt: Date.now(), replay: false },
    );
    await store.flush();
    off();
    expect(dropped).toContain(true);
    expect(store.status().hourColumns!.dropped).toBe(before + 1);
    expect(blobCount()).toBe(23);
    for (const [from, to] of ranges()) expectSame(from, to);
    expect(store.packClosedHours()).toBe(1);
    for (const [from, to] of ranges()) expectSame(from, to);
  });

  it('drop the hours a backfill fills and pack them again', async () => {
    const filled = day.filter((f) => f.ts >= BACKFILLED[0] && f.ts < BACKFILLED[1]);
    expect(filled.length).toBeGreaterThan(1_000);
    store.enqueue(filled, { receivedAt: Date.now(), replay: true });
    await store.flush();
    expect(hasBlob(13)).toBe(false);
    expect(blobCount()).toBe(23);
    for (const [from, to] of ranges()) expectSame(from, to);
    expect(store.packClosedHours()).toBe(1);
    for (const [from, to] of ranges()) expectSame(from, to);
  });

  it('refuse a blob gone bad, read the rows, count it and rebuild it', () => {
    const hour = DAY_START / HOUR_MS + 8;
    store.db
      .prepare(
        'UPDATE hour_columns SET columns = substr(columns, 1, length(columns) - 38) WHERE uid = ? AND hour = ?',
      )
      .run(UID, hour);
    const before = store.status().hourColumns!.rejected;
    expectSame(DAY_START + 8 * HOUR_MS, DAY_START + 9 * HOUR_MS - 1);
    expect(store.status().hourColumns!.rejected).toBe(before + 1);
    expect(store.status().hourColumns!.lastRejection).toBe('length');
    for (const [from, to] of ranges()) expectSame(from, to);
    expect(store.packClosedHours()).toBe(1);
    const after = store.status().hourColumns!.rejected;
    for (const [from, to] of ranges()) expectSame(from, to);
    expect(store.status().hourColumns!.rejected).toBe(after);
  });

  it('lose the blobs of the hours retention deletes from, with the rows', async () => {
    const cutoff = DAY_START + 3 * HOUR_MS + 30 * 60_000;
    expect(await store.deleteOlderThan(cutoff)).toBeGreaterThan(10_000);
    expect(hasBlob(2)).toBe(false);
    expect(hasBlob(3)).toBe(false);
    expect(hasBlob(4)).toBe(true);
    expect(blobCount()).toBe(20);
    for (const [from, to] of ranges()) expectSame(from, to);
    // The half-deleted hour is packed again from the rows it kept.
    expect(store.packClosedHours()).toBe(1);
    expect(hasBlob(3)).toBe(true);
    for (const [from, to] of ranges()) expectSame(from, to);
  });
});

describe('the idle-time packer', () => {
  it('packs closed hours on its own, and says so in the store status', async () => {
    const own = mkdtempSync(join(tmpdir(), 'lodestar-hour-packer-'));
    const s = openTrackStore({ dir: own });
    try {
      const hours = day.filter((f) => f.ts < DAY_START + 3 * HOUR_MS);
      s.enqueue(hours, { receivedAt: Date.now(), replay: true });
      await s.flush();
      await vi.waitFor(() => expect(s.status().hourColumns?.caughtUp).toBe(true), {
        timeout: 20_000,
        interval: 100,
      });
      // Three, or more when a step packed an hour between the flush's two transactions (then packed again).
      expect(s.status().hourColumns?.packed).toBeGreaterThanOrEqual(3);
      expect(s.db.prepare('SELECT count(*) FROM hour_columns').pluck().get()).toBe(3);
      const read = s.range({ uid: UID, from: DAY_START, to: DAY_START + 3 * HOUR_MS - 1 });
      expect(read.count).toBe(hours.length);
      expect(s.status().hourColumns?.fromBlobs).toBe(3);
    } finally {
      await s.close();
      rmSync(own, { recursive: true, force: true });
    }
  });
});
