import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTrackStore, type BackfillSpan, type TrackStore } from './index.js';

const T0 = 1_780_000_000_000;
const DAY = 86_400_000;
let dir: string;
let store: TrackStore;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lodestar-gaps-'));
  store = openTrackStore({ dir });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const span: BackfillSpan = {
  uid: '42',
  epoch: 'e1',
  afterOffset: 5,
  toOffset: 12_005,
  fromTs: T0,
  toTs: T0 + 10_000,
  reason: 'replay_cap',
  createdAt: T0,
};

describe('backfill spans', () => {
  it('are kept, widened from the same position, advanced, counted from the fixes stored, removed', async () => {
    store.addBackfillSpan(span);
    store.addBackfillSpan({ ...span, toOffset: 12_010, toTs: T0 + 20_000 }); // the same hole, seen again later
    store.addBackfillSpan({ ...span, uid: '43', hole: { fromTs: T0 - 5, reason: 'beyond_window' } });
    expect(store.backfillSpans()).toEqual([
      { ...span, toOffset: 12_010, toTs: T0 + 20_000 },
      { ...span, uid: '43', hole: { fromTs: T0 - 5, reason: 'beyond_window' } },
    ]);
    store.enqueue(
      [5, 6, 7, 12_011].map((offset) => ({
        uid: '42',
        ts: T0 + offset,
        lat: 23,
        lon: 113,
        crs: 'gcj02' as const,
        epoch: 'e1',
        offset,
      })),
    );
    await store.flush();
    expect(store.storedInSpan({ ...span, toOffset: 12_010 })).toBe(2); // 6 and 7: not 5 (held), not 12,011 (after)
    expect(store.firstStoredAfter('42', { epoch: 'e1', offset: 5 })).toEqual({ offset: 6, ts: T0 + 6 });
    expect(store.tsAtPosition('42', { epoch: 'e1', offset: 7 })).toBe(T0 + 7);
    store.advanceBackfillSpan(span, T0 + 7);
    store.advanceBackfillSpan(span, T0 + 3); // never backwards
    expect(store.backfillSpans()[0]?.fromTs).toBe(T0 + 7);
    store.removeBackfillSpan(span);
    expect(store.backfillSpans().map((s) => s.uid)).toEqual(['43']);
    store.putWatched('43');
    store.removeWatched('43'); // an unwatched member's spans go with it
    expect(store.backfillSpans()).toEqual([]);
  });
});

describe('holes', () => {
  it('are listed where they overlap the asked range, once each, and go with retention', async () => {
    const hole = { uid: '42', from: T0, to: T0 + 60_000, reason: 'epoch_changed' as const };
    store.recordHole(hole);
    store.recordHole(hole);
    store.recordHole({
      uid: '42',
      from: T0 + 3 * DAY,
      to: T0 + 3 * DAY + 5,
      reason: 'beyond_window',
      missing: 4,
    });
    expect(store.listHoles({ uid: '42', from: T0 + 30_000, to: T0 + 40_000 })).toEqual([hole]);
    expect(store.listHoles({ uid: '42', from: 0, to: T0 * 2 })).toHaveLength(2);
    expect(store.listHoles({ uid: '43', from: 0, to: T0 * 2 })).toEqual([]);
    await store.applyRetention(1, T0 + 2 * DAY);
    expect(store.listHoles({ uid: '42', from: 0, to: T0 * 2 })).toEqual([
      { uid: '42', from: T0 + 3 * DAY, to: T0 + 3 * DAY + 5, reason: 'beyond_window', missing: 4 },
    ]);
  });
});

describe('fixes the relay lost and will number again', () => {
  it('are kept under an epoch of their own, so the relay’s new fixes with those offsets are stored too', async () => {
    const at = (offset: number, ts: number, lat = 23) => ({
      uid: '50',
      ts,
      lat,
      lon: 113,
      crs: 'gcj02' as const,
      epoch: 'e1',
      offset,
    });
    store.enqueue([at(1, T0), at(2, T0 + 1), at(3, T0 + 2)]);
    await store.flush();
    // The relay's Redis kept only offset 1 and will hand out 2 and 3 again.
    expect(store.supersedeAbove('50', { epoch: 'e1', offset: 1 })).toBe(2);
    expect(store.lastPositions(['50']).get('50')).toEqual({ epoch: 'e1', offset: 1 });
    store.enqueue([at(2, T0 + 10, 24), at(3, T0 + 11, 24)]);
    expect((await store.flush()).inserted).toHaveLength(2);
    expect(store.countRange('50', 0, T0 * 2)).toBe(5);
    expect(store.lastPositions(['50']).get('50')).toEqual({ epoch: 'e1', offset: 3 });
  });
});
