/**
 * Overviews of closed periods kept in memory and prepared ahead, in a real SQLite store with two generated days:
 * a kept overview is the one the store would compute now, and every change to the period's rows or holes is seen
 * on the next look.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRACK_SETTINGS } from '../../../contract/track/settings.js';
import { seedYesterday, yesterdayStart } from '../../../scripts/lib/history-seed.js';
import { overviewOf } from './overview.js';
import { openTrackStore, type TrackStore } from './index.js';

let dir: string;
let store: TrackStore;
const NOW = Date.now();
const FROM = yesterdayStart(NOW, 480);
const TO = FROM + 86_400_000 - 1;
const UIDS = ['42', '43'];
const day = (uid: string, settings = {}) => ({ uid, from: FROM, to: TO, settings });

/** What the store would compute for the period now, bypassing the overview cache. */
function computedNow(uid: string, settings = {}) {
  return overviewOf(
    store.range({ uid, from: FROM, to: TO }),
    day(uid, settings),
    store.listHoles(day(uid)),
    NOW,
  );
}

const status = () => store.status().overviews!;

async function untilPrepared(count: number): Promise<void> {
  while (!(status().waiting === 0 && status().prepared >= count))
    await new Promise((resolve) => setTimeout(resolve, 10));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lodestar-overview-cache-'));
  store = openTrackStore({ dir, packHours: false, overviewQuietMs: 50 });
  await seedYesterday(store, UIDS, { now: NOW, utcOffsetMin: 480 });
  for (const uid of UIDS) store.putWatched(uid);
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('overviews of closed periods', () => {
  it('keeps a closed period: the second look is the same overview, equal to computing it again', () => {
    const before = status();
    const first = store.overview(day('42'));
    const second = store.overview(day('42'));
    expect(second).toBe(first);
    expect(status().hits).toBe(before.hits + 1);
    expect(status().misses).toBe(before.misses + 1);
    const fresh = computedNow('42');
    expect(second.count).toBe(fresh.count);
    expect(second.analysis).toEqual(fresh.analysis);
    expect(second.outline.index).toEqual(fresh.outline.index);
  });

  it('keeps each cut apart: other settings are another overview', () => {
    const settings = { stopRadiusM: 20, stopMinMs: 600_000 };
    const other = store.overview(day('42', settings));
    expect(other.settings.stopRadiusM).toBe(20);
    expect(other.analysis).toEqual(computedNow('42', settings).analysis);
    // The defaults spelled out are the defaults left out.
    expect(store.overview(day('42', { ...DEFAULT_TRACK_SETTINGS }))).toBe(store.overview(day('42')));
  });

  it('does not keep a period that is not over yet', () => {
    const before = status();
    const open = { uid: '42', from: FROM, to: NOW + 60_000 };
    store.overview(open, NOW);
    store.overview(open, NOW);
    expect(status().entries).toBe(before.entries);
    expect(status().hits).toBe(before.hits);
  });

  it('sees a late fix inside the period, and keeps the period for a fix outside it', async () => {
    const kept = store.overview(day('43'));
    const hits = status().hits;
    store.enqueue({ uid: '43', ts: TO + 5_000, lat: 31.2, lon: 121.4, crs: 'wgs84' });
    await store.flush();
    expect(store.overview(day('43'))).toBe(kept);
    expect(status().hits).toBe(hits + 1);

    store.enqueue({ uid: '43', ts: FROM + 12 * 3_600_000 + 123, lat: 31.2, lon: 121.4, crs: 'wgs84' });
    await store.flush();
    const after = store.overview(day('43'));
    expect(after.count).toBe(kept.count + 1);
    expect(after.count).toBe(computedNow('43').count);
  });

  it('sees a hole recorded inside the period', () => {
    store.overview(day('43'));
    const hole = { uid: '43', from: FROM + 20 * 3_600_000, to: FROM + 20 * 3_600_000 + 600_000 };
    store.recordHole({ ...hole, reason: 'lost', missing: 600 });
    const after = store.overview(day('43'));
    expect(after.holes).toContainEqual({ fromTs: hole.from, toTs: hole.to, reason: 'lost' });
  });
});

describe('preparing a period ahead', () => {
  it('prepares every watched member, and a load then finds it kept', async () => {
    const period = { from: FROM - 86_400_000, to: FROM - 1 };
    const before = status();
    expect(store.prepareOverviews(period, NOW)).toBe(UIDS.length);
    await untilPrepared(before.prepared + UIDS.length);
    expect(status().entries).toBe(before.entries + UIDS.length);
    const hits = status().hits;
    store.overview({ uid: '42', ...period });
    expect(status().hits).toBe(hits + 1);
  });

  it('prepares a member again once fixes going into its prepared period pause', async () => {
    const period = { from: FROM - 86_400_000, to: FROM - 1 };
    const prepared = status().prepared;
    store.enqueue({ uid: '43', ts: period.from + 3_600_000, lat: 31.2, lon: 121.4, crs: 'wgs84' });
    await store.flush();
    const misses = status().misses;
    await untilPrepared(prepared + 1);
    expect(status().misses).toBe(misses + 1);
    const again = store.overview({ uid: '43', ...period });
    expect(status().misses).toBe(misses + 1);
    expect(again.count).toBe(1);
  });

  it('prepares nothing for a period that is not over', () => {
    expect(store.prepareOverviews({ from: FROM, to: NOW + 1 }, NOW)).toBe(0);
  });

  it('forgets an unwatched member', async () => {
    store.overview(day('42'));
    const entries = status().entries;
    store.removeWatched('42');
    expect(status().entries).toBeLessThan(entries);
    store.putWatched('42');
  });

  it('drops what retention reaches', async () => {
    store.overview(day('42'));
    expect(status().entries).toBeGreaterThan(0);
    await store.deleteOlderThan(FROM + 3_600_000);
    expect(status().entries).toBe(0);
    expect(store.overview(day('42')).count).toBe(computedNow('42').count);
  });
});

describe('its memory', () => {
  it('lets the oldest-used overview go past its limit', async () => {
    const small = mkdtempSync(join(tmpdir(), 'lodestar-overview-small-'));
    const tiny = openTrackStore({ dir: small, packHours: false, overviewCacheBytes: 200_000 });
    try {
      await seedYesterday(tiny, UIDS, { now: NOW, utcOffsetMin: 480 });
      tiny.overview(day('42'));
      tiny.overview(day('43'));
      expect(tiny.status().overviews!.entries).toBe(1);
      const hits = tiny.status().overviews!.hits;
      tiny.overview(day('43'));
      expect(tiny.status().overviews!.hits).toBe(hits + 1);
      tiny.overview(day('42'));
      expect(tiny.status().overviews!.hits).toBe(hits + 1);
      expect(tiny.status().overviews!.bytes).toBeLessThanOrEqual(200_000);
    } finally {
      await tiny.close();
      rmSync(small, { recursive: true, force: true });
    }
  });
});
