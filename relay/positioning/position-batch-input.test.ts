/**
 * position-batch.lua's packed argument against a real, private redis-server: bad lines are refused alone, a
 * batch whose announced count does not match its lines is refused whole, and nothing is written for either.
 */
import { describe, expect, it } from 'vitest';
import { PositioningError } from './positioning.js';
import { fixOf, usePrivatePositioning } from './test-fixture.js';

const f = usePrivatePositioning();

describe('positionBatch input', () => {
  it('refuses an idempotency key with a tab or newline alone', async () => {
    const p = f.fresh();
    const outcomes = await p.positionBatch([
      { fix: fixOf('a', 1), idempotencyKey: 'k\t1' },
      { fix: fixOf('a', 2), idempotencyKey: 'k\n2' },
      { fix: fixOf('a', 3), idempotencyKey: 'k3' },
    ]);
    expect(outcomes[0]).toBeInstanceOf(PositioningError);
    expect(outcomes[1]).toBeInstanceOf(PositioningError);
    expect(outcomes[2]).toBe('positioned');
    expect((await p.latest('a'))?.offset).toBe(1);
  });

  it('refuses a packed line with a bad uid or ts alone, and a miscounted batch whole', async () => {
    const p = f.fresh();
    const line = (uid: string, ts: string, key: string) =>
      `${uid}\t${ts}\t${key}\t{"uid":"${uid}","lat":1,"lon":2,"ts":1700000000000,"crs":"gcj02"}\n`;
    const call = (count: number, packed: string) =>
      (
        f.redis as unknown as { lodestarPositionBatch(...a: unknown[]): Promise<unknown[]> }
      ).lodestarPositionBatch(
        `${p.options.keyPrefix}seen:`,
        60_000,
        86_400_000,
        1000,
        '',
        'e1',
        p.options.keyPrefix,
        count,
        packed,
      );
    const replies = await call(
      3,
      line('b{x}', '1700000000000', 'k1') + line('b', '17x', 'k2') + line('b', '1700000000000', 'k3'),
    );
    expect(replies[0]).toMatch(/lodestar_bad_fix/);
    expect(replies[1]).toMatch(/lodestar_bad_ts/);
    expect(replies[2]).toBe(1);
    await expect(call(2, line('c', '1700000000000', 'k1'))).rejects.toThrow(/lodestar_bad_batch/);
    expect(await f.redis.exists(`${p.options.keyPrefix}{c}:meta`)).toBe(0);
  });
});
