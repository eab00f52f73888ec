/**
 * Positioning against a real, private redis-server (restarted by the last tests of this file).
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fix, PositionedFix } from '../../protocol/fix.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import { createPositioning, PositioningError, POSITION_SCRIPT, type Positioning } from './positioning.js';
import { positionRawMessage } from './raw-consumer.js';

const T0 = 1_700_000_000_000;
const fixOf = (uid: string, i: number, ts = T0 + i * 1000): Fix => ({
  uid,
  lat: 30 + i / 1e6,
  lon: 120.123456789,
  ts,
  crs: 'gcj02',
});
const offsetsOf = (fixes: PositionedFix[]) => fixes.map((f) => f.offset);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

let server: PrivateRedis;
let redis: Redis;
let other: Redis;
let prefixes = 0;
/** A positioning on its own key prefix and channel, so tests do not see each other's members. */
function fresh(options: Parameters<typeof createPositioning>[1] = {}, client: Redis = redis): Positioning {
  prefixes += 1;
  return createPositioning(client, { keyPrefix: `t${prefixes}:`, channel: `raw${prefixes}`, ...options });
}
async function positionMany(p: Positioning, uid: string, count: number, from = 1): Promise<PositionedFix[]> {
  const out = await Promise.all(range(from, from + count - 1).map((i) => p.position(fixOf(uid, i), `k${i}`)));
  return out as PositionedFix[];
}

beforeAll(async () => {
  server = await startPrivateRedis();
  redis = new Redis(server.url, { enableAutoPipelining: true });
  other = new Redis(server.url, { enableAutoPipelining: true });
});
afterAll(async () => {
  redis.disconnect();
  other.disconnect();
  await server.stop();
});

describe('position', () => {
  it('gives each member offsets growing by one, one epoch, and keeps the latest fix', async () => {
    const p = fresh();
    const results = await Promise.all(
      range(1, 60).map((i) => p.position(fixOf(i % 2 ? 'a' : 'b', i), `k${i}`)),
    );
    const a = results.filter((f) => f?.uid === 'a') as PositionedFix[];
    const b = results.filter((f) => f?.uid === 'b') as PositionedFix[];
    expect(offsetsOf(a)).toEqual(range(1, 30));
    expect(offsetsOf(b)).toEqual(range(1, 30));
    expect(new Set(a.map((f) => f.epoch)).size).toBe(1);
    expect(a[0]?.epoch).not.toBe(b[0]?.epoch);
    // Coordinates survive the script byte for byte (no cjson round trip).
    expect(a[0]?.lon).toBe(120.123456789);
    expect(await p.latest('a')).toEqual(a[29]);
    expect(await p.latest('nobody')).toBeNull();
  });

  it('positions a raw message once when two relays receive it, and publishes it once', async () => {
    const relayA = fresh();
    const relayB = createPositioning(other, relayA.options);
    const subscriber = new Redis(server.url);
    const published: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => published.push(message));
    await subscriber.subscribe(relayA.options.positionedChannel);

    const raws = range(1, 200).map((i) =>
      JSON.stringify({ uid: String(i % 4), longitude: '113.3', latitude: String(23 + i / 1000), ts: T0 + i }),
    );
    const outcomes = await Promise.all(
      raws.flatMap((raw) => [positionRawMessage(relayA, raw), positionRawMessage(relayB, Buffer.from(raw))]),
    );
    const positioned = outcomes.flatMap((o) => (o.status === 'positioned' ? [o.fix] : []));
    expect(positioned).toHaveLength(200);
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(200);
    for (const uid of ['0', '1', '2', '3']) {
      expect(offsetsOf(positioned.filter((f) => f.uid === uid)).sort((x, y) => x - y)).toEqual(range(1, 50));
    }
    await expect.poll(() => published.length).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(published).toHaveLength(200);
    expect(new Set(published).size).toBe(200);
    subscriber.disconnect();
  });

  it('uses the client id as the idempotency key when the fix has one', async () => {
    const p = fresh();
    const first = await positionRawMessage(
      p,
      JSON.stringify({ uid: 7, longitude: 113, latitude: 23, cid: 'c-1' }),
    );
    // A retried upload: same cid, different bytes (a later receive time would not change it either).
    const retry = await positionRawMessage(
      p,
      JSON.stringify({ uid: '7', longitude: '113', latitude: '23', cid: 'c-1' }),
    );
    expect(first.status).toBe('positioned');
    expect(retry.status).toBe('duplicate');
  });

  it('refuses what is not a fix, with stable reasons, and writes nothing', async () => {
    const p = fresh();
    expect(await positionRawMessage(p, '{"uid":1}')).toMatchObject({
      status: 'rejected',
      reason: 'missing_coordinates',
    });
    expect(await positionRawMessage(p, 'nope')).toMatchObject({ status: 'rejected', reason: 'not_json' });
    await expect(p.position({ ...fixOf('a', 1), lat: 91 }, 'k')).rejects.toMatchObject({ code: 'bad_field' });
    await expect(p.position({ ...fixOf('a', 1), lat: 91 }, 'k')).rejects.toBeInstanceOf(PositioningError);
    await expect(p.position(fixOf('a', 1), '')).rejects.toMatchObject({ code: 'bad_field' });
    await expect(p.catchup('a}', undefined)).rejects.toMatchObject({ code: 'bad_field' });
    expect(await p.latest('a')).toBeNull();
  });

  it('validates its arguments in Lua before setting the idempotency key (callers outside Node)', async () => {
    const args = ['{"uid":"z"}', 'not-a-ts', 'E', 60000, 86400000, 100, ''];
    const keys = ['x:{z}:seen:k', 'x:{z}:meta', 'x:{z}:fixes', 'x:{z}:bytime'];
    await expect(redis.eval(POSITION_SCRIPT, 4, ...keys, ...args)).rejects.toThrow(/lodestar_bad_ts/);
    expect(await redis.exists(keys[0] as string)).toBe(0);
    await expect(redis.eval(POSITION_SCRIPT, 4, ...keys, '[1]', ...args.slice(1))).rejects.toThrow(
      /lodestar_bad_fix/,
    );
  });
});

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
    expect(await redis.xlen(`${p.options.keyPrefix}{m}:fixes`)).toBe(5);
    expect(await redis.zcard(`${p.options.keyPrefix}{m}:bytime`)).toBe(5);
    expect(await p.catchup('m', { epoch, offset: 14 })).toEqual({
      catchup: { status: 'not_recoverable', reason: 'beyond_window', epoch, oldest: 16, latest: 20 },
      fixes: [],
      latest: fixes[19],
    });
    expect(offsetsOf((await p.catchup('m', { epoch, offset: 15 })).fixes)).toEqual(range(16, 20));
  });

  it('catches up over calls when the cap shrinks, keeping the time index in step with the stream', async () => {
    const wide = fresh({ maxLen: 200 });
    await positionMany(wide, 'm', 300);
    const narrow = createPositioning(redis, { ...wide.options, maxLen: 10 });
    const stream = `${wide.options.keyPrefix}{m}:fixes`;
    const index = `${wide.options.keyPrefix}{m}:bytime`;
    expect(await redis.xlen(stream)).toBe(200);
    await narrow.position(fixOf('m', 301), 'k301');
    // At most 64 entries retire per call, so one fix never stalls Redis for long.
    expect(await redis.xlen(stream)).toBe(201 - 64);
    for (let i = 302; i <= 305; i++) await narrow.position(fixOf('m', i), `k${i}`);
    expect(await redis.xlen(stream)).toBe(10);
    expect(await redis.zcard(index)).toBe(10);
    const history = await narrow.history('m', 0, T0 * 2);
    expect(offsetsOf(history.fixes)).toEqual(range(296, 305));
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
    // A member that stops sending keeps nothing past the window, but its epoch: beyond_window, not epoch_changed.
    expect(await redis.pttl(`${p.options.keyPrefix}{m}:fixes`)).toBeLessThanOrEqual(1000);
  });
});

describe('after Redis lost its latest writes (AOF crash, lagging replica)', () => {
  it('retires the epoch instead of reusing offsets stations already hold', async () => {
    const p = fresh();
    const fixes = await positionMany(p, 'm', 10);
    const epoch = fixes[0]!.epoch;
    // What a restart from an AOF one second old looks like: offsets 9 and 10 never happened.
    const keys = { meta: `${p.options.keyPrefix}{m}:meta`, stream: `${p.options.keyPrefix}{m}:fixes` };
    await redis.hset(keys.meta, 'offset', '8', 'fix', JSON.stringify(fixes[7]));
    await redis.xtrim(keys.stream, 'MAXLEN', 8);

    // A station that holds offset 10 is told, and the member's next fix starts a new epoch.
    expect(await p.catchup('m', { epoch, offset: 10 })).toEqual({
      catchup: { status: 'not_recoverable', reason: 'epoch_changed' },
      fixes: [],
      latest: null,
    });
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
    await redis.del(`${p.options.keyPrefix}{m}:meta`);
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

// Last: these restart the private Redis, which loses everything.
describe('after Redis lost its data', () => {
  it('starts a new epoch, tells stations epoch_changed, replays nothing, and reloads the script (NOSCRIPT)', async () => {
    const p = fresh();
    const before = await positionMany(p, 'm', 10);
    const oldEpoch = before[0]!.epoch;
    const impatient = new Redis(server.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
    });
    impatient.on('error', () => {}); // connection errors are expected here; the commands' rejections are tested
    await impatient.connect();
    const down = createPositioning(impatient, p.options);
    await server.stop();
    // Redis unreachable: a stable code for the relay to count and answer with, not a raw ioredis error.
    await expect(down.position(fixOf('m', 99), 'k99')).rejects.toMatchObject({ code: 'unavailable' });
    await expect(down.catchup('m', { epoch: oldEpoch, offset: 1 })).rejects.toMatchObject({
      code: 'unavailable',
    });
    impatient.disconnect();
    await server.start();

    expect(await p.catchup('m', { epoch: oldEpoch, offset: 4 })).toEqual({
      catchup: { status: 'not_recoverable', reason: 'epoch_changed' },
      fixes: [],
      latest: null,
    });
    expect(await redis.script('EXISTS', POSITION_SCRIPT_SHA1())).toEqual([0]);
    const after = await positionMany(p, 'm', 3, 11);
    expect(offsetsOf(after)).toEqual([1, 2, 3]);
    expect(after[0]!.epoch).not.toBe(oldEpoch);
    const told = await p.catchup('m', { epoch: oldEpoch, offset: 10 });
    expect(told).toEqual({
      catchup: {
        status: 'not_recoverable',
        reason: 'epoch_changed',
        epoch: after[0]!.epoch,
        oldest: 1,
        latest: 3,
      },
      fixes: [],
      latest: after[2],
    });
    expect(await p.range('m', oldEpoch, 1, 3)).toMatchObject({
      fixes: [],
      complete: false,
      reason: 'epoch_changed',
    });
  });
});

function POSITION_SCRIPT_SHA1(): string {
  return createHash('sha1').update(POSITION_SCRIPT).digest('hex');
}
