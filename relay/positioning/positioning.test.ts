/**
 * Positioning against a real, private redis-server: positions, idempotency across relays, validation, and what
 * happens when Redis loses its data (the last tests restart the server).
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { PositionedFix } from '../../protocol/fix.js';
import { createPositioning, PositioningError, POSITION_SCRIPT } from './positioning.js';
import { positionRawMessage } from './raw-consumer.js';
import { fixOf, offsetsOf, range, T0, usePrivatePositioning } from './test-fixture.js';

const f = usePrivatePositioning();
const { fresh, positionMany } = f;

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
    const relayB = createPositioning(f.other, relayA.options);
    const subscriber = new Redis(f.server.url);
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
    await expect(f.redis.eval(POSITION_SCRIPT, 4, ...keys, ...args)).rejects.toThrow(/lodestar_bad_ts/);
    expect(await f.redis.exists(keys[0] as string)).toBe(0);
    await expect(f.redis.eval(POSITION_SCRIPT, 4, ...keys, '[1]', ...args.slice(1))).rejects.toThrow(
      /lodestar_bad_fix/,
    );
  });
});

// Last: these restart the private Redis, which loses everything.
describe('after Redis lost its data', () => {
  it('starts a new epoch, tells stations epoch_changed, replays nothing, and reloads the script (NOSCRIPT)', async () => {
    const p = fresh();
    const before = await positionMany(p, 'm', 10);
    const oldEpoch = before[0]!.epoch;
    const impatient = new Redis(f.server.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
    });
    impatient.on('error', () => {}); // connection errors are expected here; the commands' rejections are tested
    await impatient.connect();
    const down = createPositioning(impatient, p.options);
    await f.server.stop();
    // Redis unreachable: a stable code for the relay to count and answer with, not a raw ioredis error.
    await expect(down.position(fixOf('m', 99), 'k99')).rejects.toMatchObject({ code: 'unavailable' });
    await expect(down.catchup('m', { epoch: oldEpoch, offset: 1 })).rejects.toMatchObject({
      code: 'unavailable',
    });
    impatient.disconnect();
    await f.server.start();

    expect(await p.catchup('m', { epoch: oldEpoch, offset: 4 })).toEqual({
      catchup: { status: 'not_recoverable', reason: 'epoch_changed' },
      fixes: [],
      latest: null,
    });
    expect(await f.redis.script('EXISTS', POSITION_SCRIPT_SHA1())).toEqual([0]);
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
