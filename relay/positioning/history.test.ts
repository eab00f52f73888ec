/**
 * History by fix time against a real, private redis-server: exact paging at any page size, cursors.
 */
import { describe, expect, it } from 'vitest';
import type { PositionedFix } from '../../protocol/fix.js';
import { fixOf, offsetsOf, T0, usePrivatePositioning } from './test-fixture.js';

const f = usePrivatePositioning();
const { fresh, positionMany } = f;

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
