/**
 * Idempotency claims (position.lua `claimFresh`) against a real, private redis-server: remembered for at least the
 * TTL and at most 1.5 × TTL, per member, in a bounded number of claim sets whose old ones are freed.
 */
import { describe, expect, it } from 'vitest';
import { POSITION_SCRIPT, PositioningError } from './positioning.js';
import { fixOf, usePrivatePositioning } from './test-fixture.js';

const f = usePrivatePositioning();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('idempotency claims', () => {
  it('remembers a claim for at least the TTL and forgets it after 1.5 × TTL', async () => {
    const ttl = 400;
    const p = f.fresh({ idempotencyTtlMs: ttl });
    // The claim is made at some moment between `before` and `after` of the first call; each retry is judged by
    // bounds on that moment, so a stalled machine can neither fail nor pass the test by accident.
    const before = Date.now();
    expect(await p.position(fixOf('a', 1), 'k')).not.toBeNull();
    const after = Date.now();
    let repositioned = false;
    for (;;) {
      const retry = await p.position(fixOf('a', 1), 'k');
      const surelyWithinTtl = Date.now() - before < ttl;
      if (surelyWithinTtl) expect(retry).toBeNull();
      repositioned = retry !== null;
      if (repositioned || Date.now() - before >= ttl) break;
      await sleep(40);
    }
    // A retry just past the TTL may already have found the claim gone; otherwise it must be gone by 1.5 × TTL.
    if (!repositioned) {
      await sleep(Math.max(0, 1.5 * ttl + 50 - (Date.now() - after)));
      expect((await p.position(fixOf('a', 1), 'k'))?.offset).toBe(2);
    }
  });

  it('keeps a few claim sets at any time, freeing the old ones as time goes on', async () => {
    const ttl = 100;
    const p = f.fresh({ idempotencyTtlMs: ttl });
    for (let i = 1; i <= 30; i++) {
      await p.positionBatch([
        { fix: fixOf('b', i), idempotencyKey: `k${i}` },
        { fix: fixOf('c', i), idempotencyKey: `k${i}` },
      ]);
      await sleep(20);
    }
    const sets = await f.redis.keys(`${p.options.keyPrefix}seen:*`);
    // Buckets are TTL/2 wide; the current one and at most four older ones can exist (expiry at bucket + 4).
    expect(sets.length).toBeGreaterThan(0);
    expect(sets.length).toBeLessThanOrEqual(5);
    // Every set expires by itself (-1 would be a set kept forever; -2, one that expired since KEYS listed it).
    for (const key of sets) expect(await f.redis.pttl(key)).not.toBe(-1);
    // The same key of two members: two claims, each positioned once.
    expect((await p.latest('b'))?.offset).toBe(30);
    expect((await p.latest('c'))?.offset).toBe(30);
  });

  it('claims nothing for a refused fix, so its corrected retry is positioned', async () => {
    const p = f.fresh();
    const refused = await p.positionBatch([
      { fix: { ...fixOf('d', 1), lat: Number.NaN }, idempotencyKey: 'k1' },
    ]);
    expect(refused[0]).toBeInstanceOf(PositioningError);
    expect(await p.positionBatch([{ fix: fixOf('d', 1), idempotencyKey: 'k1' }])).toEqual(['positioned']);
  });

  it.each([
    ['empty', ''],
    ['no member part', 'nokey'],
    ['too long', `42:${'x'.repeat(300)}`],
  ])('refuses a bad claim from a direct caller: %s', async (_name, claim) => {
    const keys = ['x:seen:', 'x:{z}:meta', 'x:{z}:fixes', 'x:{z}:bytime'];
    const args = ['{"uid":"z"}', '1700000000000', 'e1', 60000, 86400000, 1000, '', claim];
    await expect(f.redis.eval(POSITION_SCRIPT, 4, ...keys, ...args)).rejects.toThrow(/lodestar_bad_claim/);
    expect(await f.redis.exists('x:{z}:meta')).toBe(0);
  });
});
