/**
 * What the packer packs and when, against a table of hours in memory (the SQLite side is hour-columns.test.ts):
 * every closed hour with rows once, never the open one, in steps of a few hours, an hour stored into after it
 * closed once the writes into it paused, a refused blob again.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Fix } from '../../../protocol/fix.js';
import { HOUR_MS } from './hour-blob.js';
import { HourPacker, PACK_AFTER_MS, QUIET_MS, STEP_MAX_HOURS, type PackerStore } from './hour-packer.js';

const H0 = 494_000;

function fakeStore(rows: Record<string, number[]>, blobs: string[] = []) {
  const packed: string[] = [];
  const have = new Set(blobs);
  const store: PackerStore = {
    members: () => Object.keys(rows),
    nextTs: (uid, fromTs) => rows[uid]!.map((h) => h * HOUR_MS + 7).find((ts) => ts >= fromTs),
    hasBlob: (uid, hour) => have.has(`${uid} ${hour}`),
    pack: (uid, hour) => {
      if (!rows[uid]!.includes(hour)) return false;
      packed.push(`${uid} ${hour}`);
      have.add(`${uid} ${hour}`);
      return true;
    },
  };
  return { store, packed, have };
}

/** A clock at the start of `hour` plus the closing margin: hours before `hour` are closed. */
const at = (hour: number) => hour * HOUR_MS + PACK_AFTER_MS;
const fix = (uid: string, hour: number): Fix => ({
  uid,
  ts: hour * HOUR_MS + 60_000,
  lat: 1,
  lon: 1,
  crs: 'wgs84',
});

describe('HourPacker', () => {
  it('packs each closed hour with rows once, skipping those with a blob and the open hour', () => {
    const { store, packed } = fakeStore({ a: [H0, H0 + 1, H0 + 3, H0 + 9], b: [H0 + 2] }, [`a ${H0 + 1}`]);
    let now = at(H0 + 9);
    const packer = new HourPacker(store, () => now);
    expect(packer.packAll()).toBe(3);
    expect(packed.sort()).toEqual([`a ${H0}`, `a ${H0 + 3}`, `b ${H0 + 2}`]);
    expect(packer.status).toMatchObject({ caughtUp: true, packed: 3, waitingHours: 0 });
    // The open hour closes: the next step packs it and looks at nothing else again.
    now = at(H0 + 10);
    expect(packer.status.caughtUp).toBe(false);
    expect(packer.step()).toBe(1);
    expect(packed.at(-1)).toBe(`a ${H0 + 9}`);
    expect(packer.status.caughtUp).toBe(true);
  });

  it(`packs at most ${STEP_MAX_HOURS} hours a step`, () => {
    const hours = Array.from({ length: 10 }, (_, k) => H0 + k);
    const { store } = fakeStore({ a: hours });
    const packer = new HourPacker(store, () => at(H0 + 20));
    const steps: number[] = [];
    while (!packer.status.caughtUp) steps.push(packer.step());
    expect(steps).toEqual([4, 4, 2]);
  });

  it('packs an hour stored into after it closed once writes into it paused, never the open hour', () => {
    const { store, packed, have } = fakeStore({ a: [H0, H0 + 5] });
    let now = at(H0 + 5) + 1_000;
    const packer = new HourPacker(store, () => now);
    packer.packAll();
    expect(packed).toEqual([`a ${H0}`]);
    // A late fix: the writer deleted the blob in its transaction and tells the packer after the commit.
    have.delete(`a ${H0}`);
    packer.stored([fix('a', H0), fix('a', H0 + 5)]);
    expect(packer.status).toMatchObject({ waitingHours: 1, caughtUp: false });
    expect(packer.step()).toBe(0);
    now += QUIET_MS;
    expect(packer.step()).toBe(1);
    expect(packed).toEqual([`a ${H0}`, `a ${H0}`]);
    expect(packer.status.caughtUp).toBe(true);
  });

  it('leaves an hour still being stored into to the quiet wait, not the scan', () => {
    const { store, packed } = fakeStore({ a: [H0, H0 + 1] });
    let now = at(H0 + 4);
    const packer = new HourPacker(store, () => now);
    // A backfill's first batch, heard before the packer's first step.
    packer.stored([fix('a', H0), fix('a', H0 + 1)]);
    expect(packer.step()).toBe(0);
    expect(packer.status).toMatchObject({ waitingHours: 2, caughtUp: false });
    now += QUIET_MS;
    expect(packer.step()).toBe(2);
    expect(packed).toEqual([`a ${H0}`, `a ${H0 + 1}`]);
    expect(packer.status.caughtUp).toBe(true);
  });

  it('writes a refused blob again, and skips an hour packed since it was stored into', () => {
    const { store, packed } = fakeStore({ a: [H0, H0 + 1] });
    const packer = new HourPacker(store, () => at(H0 + 4));
    packer.packAll();
    packer.stale('a', H0, true);
    packer.stale('a', H0 + 1, false);
    expect(packer.step()).toBe(1);
    expect(packed).toEqual([`a ${H0}`, `a ${H0 + 1}`, `a ${H0}`]);
  });

  it('counts a failed write, keeps the hour waiting and throws nothing from its timer', async () => {
    const { store } = fakeStore({ a: [H0] });
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const errors: unknown[] = [];
    const packer = new HourPacker(
      {
        ...store,
        pack: () => {
          throw full;
        },
      },
      () => at(H0 + 2),
      (error) => errors.push(error),
    );
    packer.stale('a', H0, true);
    packer.start();
    try {
      await vi.waitFor(() => expect(packer.status.failedSteps).toBe(1));
      expect(errors).toEqual([full]);
      expect(packer.status).toMatchObject({ waitingHours: 1, caughtUp: false, packed: 0 });
    } finally {
      packer.stop();
    }
  });
});
