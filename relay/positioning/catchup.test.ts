/**
 * Catch-up and range reads against a real, private redis-server: replay, caps, trimming by length and time, and an
 * epoch retired when Redis lost its latest writes (never for a station's claim).
 */
import { describe, expect, it } from 'vitest';
import { createPositioning } from './positioning.js';
import { fixOf, offsetsOf, range, T0, usePrivatePositioning } from './test-fixture.js';

const f = usePrivatePositioning();
const { fresh, positionMany } = f;

describe('catchup', () => {
  it('is live without a position or when up to date', async () => {
    const p = fresh();
    const fixes = await positionMany(p, 'm', 5);
    expect(await p.catchup('m', undefined)).toEqual({
      catchup: { status: 'live' },
      fixes: [],
      latest: fixes[4],
    });
    expect(await p.catchup('nobody', undefined)).toEqual({
      catchup: { status: 'live' },
      fixes: [],
      latest: null,
    });
    const since = { epoch: fixes[0]!.epoch, offset: 5 };
    expect(await p.catchup('m', since)).toEqual({ catchup: { status: 'live' }, fixes: [], latest: fixes[4] });
  });

  it('replays every missed fix in order within the window', async () => {
    const p = fresh();
    const fixes = await positionMany(p, 'm', 40);
    const { catchup, fixes: replayed } = await p.catchup('m', { epoch: fixes[0]!.epoch, offset: 25 });
    expect(catchup).toEqual({ status: 'replaying', epoch: fixes[0]!.epoch, from: 26, to: 40, count: 15 });
    expect(replayed).toEqual(fixes.slice(25));
  });

  it('refuses more than replayMax with replay_cap, replaying nothing', async () => {
    const p = fresh({ replayMax: 10 });
    const fixes = await positionMany(p, 'm', 30);
    const epoch = fixes[0]!.epoch;
    expect((await p.catchup('m', { epoch, offset: 20 })).fixes).toHaveLength(10);
    const capped = await p.catchup('m', { epoch, offset: 19 });
    expect(capped).toEqual({
      catchup: { status: 'not_recoverable', reason: 'replay_cap', epoch, oldest: 1, latest: 30 },
      fixes: [],
      latest: fixes[29],
    });
  });

  it('refuses a station further behind than maxLen keeps with beyond_window', async () => {
    const p = fresh({ maxLen: 5 });
    const fixes = await positionMany(p, 'm', 20);
    const epoch = fixes[0]!.epoch;
    expect(await f.redis.xlen(`${p.options.keyPrefix}{m}:fixes`)).toBe(5);
    // In order (ts grows with the offset): nothing in the time index, which holds only out-of-order fixes.
    expect(await f.redis.zcard(`${p.options.keyPrefix}{m}:bytime`)).toBe(0);
    expect(await p.catchup('m', { epoch, offset: 14 })).toEqual({
      catchup: { status: 'not_recoverable', reason: 'beyond_window', epoch, oldest: 16, latest: 20 },
      fixes: [],
      latest: fixes[19],
    });
    expect(offsetsOf((await p.catchup('m', { epoch, offset: 15 })).fixes)).toEqual(range(16, 20));
  });

  it('catches up over calls when the cap shrinks, keeping the time index in step with the stream', async () => {
    const wide = fresh({ maxLen: 200 });
    // Every even fix is a late upload (older than the one before it), so the time index holds the even offsets.
    const tsOf = (i: number) => (i % 2 === 0 ? T0 + i * 1000 - 1500 : T0 + i * 1000);
    await Promise.all(range(1, 300).map((i) => wide.position(fixOf('m', i, tsOf(i)), `k${i}`)));
    const narrow = createPositioning(f.redis, { ...wide.options, maxLen: 10 });
    const stream = `${wide.options.keyPrefix}{m}:fixes`;
    const index = `${wide.options.keyPrefix}{m}:bytime`;
    expect(await f.redis.xlen(stream)).toBe(200);
    expect(await f.redis.zcard(index)).toBe(100);
    await narrow.position(fixOf('m', 301), 'k301');
    // At most 64 entries retire per call, so one fix never stalls Redis for long.
    expect(await f.redis.xlen(stream)).toBe(201 - 64);
    expect(await f.redis.zcard(index)).toBe(68);
    for (let i = 302; i <= 305; i++) await narrow.position(fixOf('m', i), `k${i}`);
    expect(await f.redis.xlen(stream)).toBe(10);
    expect(await f.redis.zcard(index)).toBe(3);
    const history = await narrow.history('m', 0, T0 * 2);
    expect(offsetsOf(history.fixes)).toEqual([296, 298, 297, 300, 299, 301, 302, 303, 304, 305]);
  });

  it('trims by time: fixes older than the window are gone and a station that far behind is told so', async () => {
    const p = fresh({ windowMs: 1000 });
    const fixes = await positionMany(p, 'm', 3);
    await new Promise((r) => setTimeout(r, 1100));
    await p.position(fixOf('m', 4), 'k4');
    const { catchup } = await p.catchup('m', { epoch: fixes[0]!.epoch, offset: 1 });
    expect(catchup).toMatchObject({
      status: 'not_recoverable',
      reason: 'beyond_window',
      oldest: 4,
      latest: 4,
    });
    expect((await p.history('m', 0, T0 * 2)).fixes.map((f) => f.offset)).toEqual([4]);
    // A member that stops sending keeps nothing past the window (+ 1/64 of it, so the expiry is not moved on every
    // fix), but its epoch: beyond_window, not epoch_changed.
    const ttl = await f.redis.pttl(`${p.options.keyPrefix}{m}:fixes`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1000 + Math.floor(1000 / 64));
    expect(await f.redis.pttl(`${p.options.keyPrefix}{m}:bytime`)).toBeLessThanOrEqual(
      1000 + Math.floor(1000 / 64),
    );
  });
});

describe('a since above what Redis assigned', () => {
  it('is answered ahead_of_redis and changes nothing in Redis', async () => {
    const p = fresh();
    const fixes = await positionMany(p, 'm', 10);
    const epoch = fixes[0]!.epoch;
    const keys = { meta: `${p.options.keyPrefix}{m}:meta`, stream: `${p.options.keyPrefix}{m}:fixes` };
    const before = { meta: await f.redis.hgetall(keys.meta), length: await f.redis.xlen(keys.stream) };
    expect(await p.catchup('m', { epoch, offset: 10_000 })).toEqual({
      catchup: { status: 'not_recoverable', reason: 'ahead_of_redis', epoch, oldest: 1, latest: 10 },
      fixes: [],
      latest: fixes[9],
    });
    expect(await f.redis.hgetall(keys.meta)).toEqual(before.meta);
    expect(await f.redis.xlen(keys.stream)).toBe(before.length);
    // The member's history goes on in the same epoch.
    expect(await p.position(fixOf('m', 11), 'k11')).toMatchObject({ epoch, offset: 11 });
  });
});

describe('after Redis lost its latest writes (AOF crash, lagging replica)', () => {
  it('retireLostWrites retires the epoch the relay saw published instead of reusing offsets', async () => {
    const p = fresh();
    const fixes = await positionMany(p, 'm', 10);
    const epoch = fixes[0]!.epoch;
    // What a restart from an AOF one second old looks like: offsets 9 and 10 never happened.
    const keys = { meta: `${p.options.keyPrefix}{m}:meta`, stream: `${p.options.keyPrefix}{m}:fixes` };
    await f.redis.hset(keys.meta, 'offset', '8', 'fix', JSON.stringify(fixes[7]));
    await f.redis.xtrim(keys.stream, 'MAXLEN', 8);

    expect(await p.retireLostWrites('m', { epoch, offset: 8 })).toBe(false);
    expect(await p.retireLostWrites('m', { epoch, offset: 10 })).toBe(true);
    const next = await p.position(fixOf('m', 11), 'k11');
    expect(next).toMatchObject({ offset: 1 });
    expect(next!.epoch).not.toBe(epoch);
    // A station that held only offset 8 of the old epoch is told too: nothing of the old epoch is served any more.
    expect((await p.catchup('m', { epoch, offset: 8 })).catchup).toMatchObject({ reason: 'epoch_changed' });
  });
});

describe('range', () => {
  it('returns a retained range complete, and a trimmed start as incomplete', async () => {
    const p = fresh({ maxLen: 10 });
    const fixes = await positionMany(p, 'm', 30);
    const epoch = fixes[0]!.epoch;
    const whole = await p.range('m', epoch, 22, 25);
    expect(whole).toEqual({ epoch, fixes: fixes.slice(21, 25), complete: true });
    const trimmed = await p.range('m', epoch, 15, 25);
    expect(trimmed).toMatchObject({ complete: false, reason: 'beyond_window' });
    expect(offsetsOf(trimmed.fixes)).toEqual(range(21, 25));
    expect(await p.range('m', 'other', 22, 25)).toEqual({
      epoch,
      fixes: [],
      complete: false,
      reason: 'epoch_changed',
    });
    await expect(p.range('m', epoch, 5, 2)).rejects.toMatchObject({ code: 'bad_field' });
  });
});
