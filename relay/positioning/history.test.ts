/**
 * History by fix time against a real, private redis-server: exact paging at any page size, cursors.
 */
import { describe, expect, it } from 'vitest';
import type { PositionedFix } from '../../protocol/fix.js';
import type { Positioning } from './positioning.js';
import { fixOf, offsetsOf, T0, usePrivatePositioning } from './test-fixture.js';

const f = usePrivatePositioning();
const { fresh, positionMany } = f;

/** Position one fix per ts, in this order (offsets 1..n of a new member). */
async function positionTimes(
  p: Positioning,
  uid: string,
  times: number[],
  first = 1,
): Promise<PositionedFix[]> {
  const out: PositionedFix[] = [];
  for (const [i, ts] of times.entries()) {
    out.push((await p.position(fixOf(uid, first + i, ts), `${uid}k${first + i}`))!);
  }
  return out;
}

/** The offsets of fixes with from <= ts <= to in (ts, offset) order: what history must page through. */
const expectedOf = (fixes: PositionedFix[], from: number, to: number) =>
  fixes
    .filter((x) => x.ts >= from && x.ts <= to)
    .sort((x, y) => x.ts - y.ts || x.offset - y.offset)
    .map((x) => x.offset);

/** Every page of a range; `full`: every page but the last holds exactly pageSize fixes. */
async function pageAll(p: Positioning, uid: string, from: number, to: number, pageSize: number, full = true) {
  const seen: number[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await p.history(uid, from, to, pageSize, cursor);
    cursor = page.next ?? undefined;
    if (full && cursor !== undefined) expect(page.fixes.length).toBe(pageSize);
    expect(page.fixes.length).toBeLessThanOrEqual(pageSize);
    seen.push(...offsetsOf(page.fixes));
    pages += 1;
  } while (cursor !== undefined && pages < 10_000);
  return seen;
}

const indexSize = (p: Positioning, uid: string) => f.redis.zcard(`${p.options.keyPrefix}{${uid}}:bytime`);

describe('history', () => {
  it('pages every fix of a time range once, in (ts, offset) order, at any page size', async () => {
    const p = fresh({ historyPageMax: 50 });
    // Three fixes per ms, and every fifth one uploaded late with an old ts (a buffered mini-program upload).
    const tsOf = (i: number) => (i % 5 === 0 ? T0 + Math.floor(i / 3) - 7 : T0 + Math.floor(i / 3));
    const fixes: PositionedFix[] = [];
    for (let i = 1; i <= 90; i++) fixes.push((await p.position(fixOf('m', i, tsOf(i)), `k${i}`))!);
    const from = T0 + 3;
    const to = T0 + 25;
    const expected = fixes
      .filter((f) => f.ts >= from && f.ts <= to)
      .sort((x, y) => x.ts - y.ts || x.offset - y.offset)
      .map((f) => f.offset);
    expect(expected.length).toBeGreaterThan(50);

    for (const pageSize of [1, 2, 3, 4, 7, 50, 1000]) {
      const seen: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await p.history('m', from, to, pageSize, cursor);
        expect(page.fixes.length).toBeLessThanOrEqual(Math.min(pageSize, 50));
        seen.push(...offsetsOf(page.fixes));
        cursor = page.next ?? undefined;
        pages += 1;
      } while (cursor !== undefined && pages < 1000);
      expect(seen, `page size ${pageSize}`).toEqual(expected);
    }
  });

  it('indexes nothing when every fix is in order', async () => {
    const p = fresh();
    const fixes = await positionTimes(
      p,
      'm',
      Array.from({ length: 40 }, (_, i) => T0 + i * 10),
    );
    expect(await indexSize(p, 'm')).toBe(0);
    for (const [from, to] of [
      [0, T0 * 2],
      [T0 + 95, T0 + 300],
      [T0 + 100, T0 + 100],
      [T0 + 1, T0 + 9],
      [T0 + 391, T0 * 2],
      [0, 10 ** 14],
    ] as const) {
      for (let size = 1; size <= 7; size++) {
        expect(await pageAll(p, 'm', from, to, size), `${from}..${to} by ${size}`).toEqual(
          expectedOf(fixes, from, to),
        );
      }
    }
  });

  it('pages fixes that all arrive out of order (ts descending)', async () => {
    const p = fresh();
    const fixes = await positionTimes(
      p,
      'm',
      Array.from({ length: 30 }, (_, i) => T0 + 1000 - i * 10),
    );
    // The first fix of an epoch is in order; every later one is older than it.
    expect(await indexSize(p, 'm')).toBe(29);
    for (let size = 1; size <= 7; size++) {
      expect(await pageAll(p, 'm', 0, T0 * 2, size)).toEqual(expectedOf(fixes, 0, T0 * 2));
      expect(await pageAll(p, 'm', T0 + 805, T0 + 905, size)).toEqual(expectedOf(fixes, T0 + 805, T0 + 905));
    }
  });

  it('pages fixes with equal ts across page boundaries', async () => {
    const p = fresh();
    // Runs of equal ts, some of them out of order: (ts, offset) order decides.
    const times = [5, 5, 5, 7, 7, 5, 5, 7, 9, 9, 9, 9, 7, 7, 9, 5, 9, 9].map((t) => T0 + t);
    const fixes = await positionTimes(p, 'm', times);
    expect(await indexSize(p, 'm')).toBe(
      times.filter((t, i) => t < Math.max(...times.slice(0, i + 1))).length,
    );
    for (let size = 1; size <= 7; size++) {
      expect(await pageAll(p, 'm', 0, T0 * 2, size)).toEqual(expectedOf(fixes, 0, T0 * 2));
      expect(await pageAll(p, 'm', T0 + 7, T0 + 7, size)).toEqual(expectedOf(fixes, T0 + 7, T0 + 7));
      expect(await pageAll(p, 'm', T0 + 6, T0 + 8, size)).toEqual(expectedOf(fixes, T0 + 6, T0 + 8));
    }
  });

  it('pages a mixed member exactly at every page size from 1 to 7', async () => {
    const p = fresh();
    // A live phone every 10 ms, and now and then a buffered upload of a few older fixes, some older than `from`.
    const times: number[] = [];
    let live = T0;
    for (let i = 0; i < 120; i++) {
      if (i % 17 === 5) for (let k = 4; k >= 1; k--) times.push(live - k * 13);
      else if (i % 23 === 11) times.push(live - 300, live - 5, live - 300);
      else times.push((live += 10));
    }
    const fixes = await positionTimes(p, 'm', times);
    const outOfOrder = times.filter((t, i) => t < Math.max(...times.slice(0, i + 1))).length;
    expect(outOfOrder).toBeGreaterThan(20);
    expect(await indexSize(p, 'm')).toBe(outOfOrder);
    for (const [from, to] of [
      [0, T0 * 2],
      [T0 + 100, T0 + 700],
      [T0 + 333, T0 + 334],
      [T0 + 500, 10 ** 14],
    ] as const) {
      for (let size = 1; size <= 7; size++) {
        expect(await pageAll(p, 'm', from, to, size), `${from}..${to} by ${size}`).toEqual(
          expectedOf(fixes, from, to),
        );
      }
    }
  });

  it('pages long runs of out-of-order fixes between in-order ones', async () => {
    const p = fresh({ historyPageMax: 1000 });
    // Live fixes, then 300 buffered ones (longer than one page's scan of the stream), live again, and so on.
    const times: number[] = [];
    let live = T0 + 100_000;
    for (let run = 0; run < 3; run++) {
      for (let i = 0; i < 20; i++) times.push((live += 10));
      for (let i = 0; i < 300; i++) times.push(live - 50_000 + run * 1000 + i * 7);
    }
    for (let i = 0; i < 20; i++) times.push((live += 10));
    const fixes = await positionTimes(p, 'm', times);
    expect(await indexSize(p, 'm')).toBe(900);
    for (const [from, to] of [
      [0, T0 * 2],
      [T0 + 100_000, T0 * 2],
      [T0 + 51_000, T0 + 52_000],
    ] as const) {
      for (const size of [1, 2, 3, 7, 1000]) {
        // A page may be short when the stream scan ran out of budget in a run: its cursor still moves on.
        expect(await pageAll(p, 'm', from, to, size, false), `${from}..${to} by ${size}`).toEqual(
          expectedOf(fixes, from, to),
        );
      }
    }
  });

  it('keeps the index to the out-of-order fixes the stream still holds when trimming by maxLen', async () => {
    const p = fresh({ maxLen: 10 });
    const times = Array.from({ length: 60 }, (_, i) => (i % 3 === 2 ? T0 + i * 10 - 25 : T0 + i * 10));
    const fixes = await positionTimes(p, 'm', times);
    const kept = fixes.slice(-10);
    expect(await f.redis.xlen(`${p.options.keyPrefix}{m}:fixes`)).toBe(10);
    expect(await indexSize(p, 'm')).toBe(kept.filter((x) => x.offset % 3 === 0).length);
    for (let size = 1; size <= 7; size++) {
      expect(await pageAll(p, 'm', 0, T0 * 2, size)).toEqual(expectedOf(kept, 0, T0 * 2));
    }
  });

  it('starts the running maximum again in a new epoch', async () => {
    const p = fresh();
    await positionTimes(p, 'm', [T0 + 500, T0 + 100, T0 + 600]);
    expect(await indexSize(p, 'm')).toBe(1);
    await f.redis.del(`${p.options.keyPrefix}{m}:meta`);
    // Older than everything of the lost epoch, yet in order in the new one: nothing indexed, nothing of the old.
    const fresher = await positionTimes(p, 'm', [T0 + 10, T0 + 20, T0 + 15, T0 + 30], 4);
    expect(fresher.map((x) => x.offset)).toEqual([1, 2, 3, 4]);
    expect(await indexSize(p, 'm')).toBe(1);
    for (let size = 1; size <= 4; size++) {
      expect(await pageAll(p, 'm', 0, T0 * 2, size)).toEqual([1, 3, 2, 4]);
    }
  });

  it('serves a member positioned when every fix was indexed, and trims its old index members', async () => {
    const p = fresh({ maxLen: 30 });
    const prefix = `${p.options.keyPrefix}{m}`;
    // What position.lua wrote before: entries f, t (no m), every fix in the index, no maxTs in the meta hash.
    const old: PositionedFix[] = [];
    const oldTimes = [50, 40, 60, 70, 20, 80, 90, 65, 100, 110].map((t) => T0 + t);
    for (const [i, ts] of oldTimes.entries()) {
      const fix = { ...fixOf('m', i + 1, ts), epoch: 'E0', offset: i + 1 };
      old.push(fix);
      await f.redis.xadd(
        `${prefix}:fixes`,
        `${i + 1}-${Date.now()}`,
        'f',
        JSON.stringify(fix),
        't',
        String(ts),
      );
      await f.redis.zadd(
        `${prefix}:bytime`,
        0,
        `${String(ts).padStart(13, '0')}:${String(i + 1).padStart(12, '0')}`,
      );
    }
    await f.redis.hset(`${prefix}:meta`, 'epoch', 'E0', 'offset', '10', 'fix', JSON.stringify(old[9]));
    const times = Array.from({ length: 20 }, (_, i) => (i % 4 === 3 ? T0 + 30 + i : T0 + 100 + i * 5));
    const fixes = [...old, ...(await positionTimes(p, 'm', times, 11))];
    expect(fixes.every((x) => x.epoch === 'E0')).toBe(true);
    for (let size = 1; size <= 7; size++) {
      expect(await pageAll(p, 'm', 0, T0 * 2, size)).toEqual(expectedOf(fixes, 0, T0 * 2));
      expect(await pageAll(p, 'm', T0 + 60, T0 + 120, size)).toEqual(expectedOf(fixes, T0 + 60, T0 + 120));
    }
    // Five more trim the first five old entries, and their index members with them.
    const more = await positionTimes(
      p,
      'm',
      [1, 2, 3, 4, 5].map((i) => T0 + 300 + i),
      31,
    );
    const kept = [...fixes, ...more].slice(-30);
    expect(await indexSize(p, 'm')).toBe(5 + times.filter((_, i) => i % 4 === 3).length);
    expect(await pageAll(p, 'm', 0, T0 * 2, 4)).toEqual(expectedOf(kept, 0, T0 * 2));
  });

  it('restarts a cursor of a lost epoch at the start of the range, in the new epoch', async () => {
    const p = fresh();
    await positionMany(p, 'm', 20);
    const first = await p.history('m', 0, T0 * 2, 5);
    expect(first.next).not.toBeNull();
    await f.redis.del(`${p.options.keyPrefix}{m}:meta`);
    const fresher = await positionMany(p, 'm', 3, 100);
    const page = await p.history('m', 0, T0 * 2, 5, first.next!);
    expect(page).toEqual({ fixes: fresher, next: null });
  });

  it('refuses a cursor it did not issue and returns nothing for an empty range', async () => {
    const p = fresh();
    await positionMany(p, 'm', 3);
    await expect(p.history('m', 0, T0 * 2, 10, 'garbage!')).rejects.toMatchObject({ code: 'bad_field' });
    expect(await p.history('m', T0 * 2, T0)).toEqual({ fixes: [], next: null });
    expect(await p.history('nobody', 0, T0 * 2)).toEqual({ fixes: [], next: null });
    await expect(p.history('m', 0, T0 * 2, 0)).rejects.toMatchObject({ code: 'bad_field' });
    await expect(p.history('m{x}', 0, T0 * 2)).rejects.toMatchObject({ code: 'bad_field' });
  });
});
