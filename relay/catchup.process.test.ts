/**
 * Positioning end to end with real relay processes on one private redis-server: a raw message received by two relays is
 * positioned once; history pages and ranges through the relay; a station on relay A catches up on relay B after A
 * is SIGKILLed while 200 fixes/s flow; a station away longer than the window, or after Redis lost its data, is told
 * `not_recoverable` and nothing is replayed.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionedFix } from '../protocol/fix.js';
import { startPublisher, TrackingStation } from '../test/support/positioned-traffic.js';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import { connectStation, operatorToken, spawnRelay, type SpawnedRelay } from '../test/support/relay.js';

const PREFIX = 'catchup-test:';
const SHORT_CHANNEL = 'short_window_updates';
const WINDOW_MS = 1000;

let redis: PrivateRedis;
let publisher: Redis;
let relayA: SpawnedRelay;
let relayB: SpawnedRelay;
/** A relay with a one-second window, on its own channel and keys. */
let shortWindow: SpawnedRelay;

async function subscribers(channel: string): Promise<number> {
  return ((await publisher.call('PUBSUB', 'NUMSUB', channel)) as [string, number])[1];
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function raw(uid: number, ts: number, latitude = 23.1): string {
  return JSON.stringify({ uid, longitude: '113.3', latitude: latitude.toFixed(5), ts });
}

beforeAll(async () => {
  redis = await startPrivateRedis();
  publisher = new Redis(redis.url);
  const common = { REDIS_URL: redis.url, RELAY_KEY_PREFIX: PREFIX, RELAY_DRAIN_MS: '0' };
  [relayA, relayB, shortWindow] = await Promise.all([
    spawnRelay(common),
    spawnRelay({ ...common, RELAY_HISTORY_PAGE_MAX: '10' }),
    spawnRelay({
      ...common,
      RELAY_KEY_PREFIX: 'short:',
      RELAY_CHANNEL: SHORT_CHANNEL,
      RELAY_WINDOW_MS: String(WINDOW_MS),
    }),
  ]);
  // Every relay must be subscribed before anything is published, or one would see only some messages.
  await until(
    async () => (await subscribers('location_update')) === 2 && (await subscribers(SHORT_CHANNEL)) === 1,
  );
}, 60_000);

afterAll(async () => {
  for (const relay of [relayA, relayB, shortWindow]) relay?.child.kill('SIGKILL');
  publisher?.disconnect();
  await redis?.stop();
});

describe('several relays on one Redis', () => {
  it('positions a raw message received by two relays once', async () => {
    const station = await connectStation(relayA.wsUrl, await operatorToken('*'));
    station.send({ type: 'watch', members: [{ uid: '501' }] });
    await station.next('watched');
    const ts = Date.now();
    for (let i = 0; i < 20; i++) await publisher.publish('location_update', raw(501, ts + i));
    await expect.poll(() => station.all('fix').length).toBe(20);
    await new Promise((r) => setTimeout(r, 200)); // room for a second positioning to show up
    const fixes = station.all('fix').map((m) => m.fix);
    expect(fixes.map((f) => f.offset)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(fixes.map((f) => f.ts)).toEqual(Array.from({ length: 20 }, (_, i) => ts + i));
    expect(await publisher.xlen(`${PREFIX}{501}:fixes`)).toBe(20);
    await station.close();
  });

  it('pages history by time: every fix once, in order, across equal times at page boundaries', async () => {
    const station = await connectStation(relayB.wsUrl, await operatorToken('*'));
    const base = Date.now() - 60_000;
    // Three fixes per millisecond: ties straddle the page boundaries (pages of 10, the relay's maximum).
    const sent = Array.from({ length: 25 }, (_, i) => ({
      ts: base + Math.floor(i / 3),
      latitude: 23 + i / 1e4,
    }));
    for (const fix of sent) await publisher.publish('location_update', raw(502, fix.ts, fix.latitude));
    await expect.poll(() => publisher.xlen(`${PREFIX}{502}:fixes`)).toBe(25);

    const pages: PositionedFix[][] = [];
    let cursor: string | undefined;
    do {
      const id = `h${pages.length}`;
      station.send({
        type: 'history',
        id,
        uid: '502',
        from: base,
        to: base + 100,
        limit: 50,
        ...(cursor ? { cursor } : {}),
      });
      const page = await station.next('history', (m) => m.id === id);
      pages.push(page.fixes as PositionedFix[]);
      cursor = page.next ?? undefined;
    } while (cursor !== undefined && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    const all = pages.flat();
    expect(all.map((f) => f.offset)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(all.map((f) => [f.ts, f.lat])).toEqual(sent.map((f) => [f.ts, Number(f.latitude.toFixed(5))]));

    // A time range in the middle starts and ends exactly at its bounds.
    station.send({ type: 'history', id: 'mid', uid: '502', from: base + 3, to: base + 4 });
    expect((await station.next('history', (m) => m.id === 'mid')).fixes.map((f) => f.offset)).toEqual([
      10, 11, 12, 13, 14, 15,
    ]);
    await station.close();
  });

  it('answers a range after an offset gap, and says when the epoch is not the member’s', async () => {
    const station = await connectStation(relayB.wsUrl, await operatorToken('*'));
    station.send({ type: 'watch', id: 'w', members: [{ uid: '502' }] });
    const epoch = (await station.next('watched')).latest?.epoch as string;
    station.send({ type: 'range', id: 'r', uid: '502', epoch, from: 5, to: 9 });
    const range = await station.next('range', (m) => m.id === 'r');
    expect(range).toMatchObject({ epoch, complete: true });
    expect(range.fixes.map((f) => f.offset)).toEqual([5, 6, 7, 8, 9]);

    station.send({ type: 'range', id: 'old', uid: '502', epoch: 'gone', from: 1, to: 3 });
    expect(await station.next('range', (m) => m.id === 'old')).toMatchObject({
      epoch,
      fixes: [],
      complete: false,
      reason: 'epoch_changed',
    });
    // Refusals keep their stable codes.
    const narrow = await connectStation(relayB.wsUrl, await operatorToken(['1']));
    narrow.send({ type: 'history', id: 'f', uid: '502', from: 0, to: Date.now() });
    expect(await narrow.next('error', (m) => m.id === 'f')).toMatchObject({ code: 'forbidden' });
    station.send({ type: 'history', id: 'c', uid: '502', from: 0, to: Date.now(), cursor: 'forged' });
    expect(await station.next('error', (m) => m.id === 'c')).toMatchObject({ code: 'bad_field' });
    await Promise.all([station.close(), narrow.close()]);
  });

  it('catches a station up on relay B after relay A is SIGKILLed: every fix once, in order', async () => {
    const uids = Array.from({ length: 20 }, (_, i) => String(600 + i));
    const tracker = new TrackingStation(await operatorToken('*'));
    await tracker.watch(relayA.wsUrl, uids);
    const traffic = startPublisher(publisher, 'location_update', uids, 200);
    await expect.poll(() => tracker.count(), { timeout: 10_000 }).toBeGreaterThan(100);

    relayA.child.kill('SIGKILL');
    await relayA.exited;
    await tracker.station?.closed;
    const atKill = tracker.count();
    await new Promise((r) => setTimeout(r, 500)); // away while fixes keep coming
    const second = await tracker.watch(relayB.wsUrl, uids, 'again');
    await new Promise((r) => setTimeout(r, 1000));
    await traffic.stop();

    const published = [...traffic.published.values()].reduce((n, list) => n + list.length, 0);
    await expect.poll(() => tracker.count(), { timeout: 15_000 }).toBe(published);
    await new Promise((r) => setTimeout(r, 300)); // room for a duplicate to show up
    for (const uid of uids) {
      const fixes = tracker.fixes.get(uid) ?? [];
      expect(
        fixes.map((f) => f.ts),
        `member ${uid}`,
      ).toEqual(traffic.published.get(uid));
      expect(fixes.map((f) => f.offset)).toEqual(Array.from({ length: fixes.length }, (_, i) => i + 1));
      expect(new Set(fixes.map((f) => f.epoch)).size).toBe(1);
    }
    // The reconnect really was a catch-up: a replay per member, announced and closed.
    const replayed = second.all('fix').filter((m) => m.replay).length;
    expect(replayed).toBeGreaterThan(0);
    expect(second.all('replay_done').reduce((n, m) => n + m.count, 0)).toBe(replayed);
    expect(atKill).toBeLessThan(published);
    await second.close();
  }, 60_000);
});

describe('not recoverable', () => {
  it('tells a station away longer than the window beyond_window, and replays nothing', async () => {
    const tracker = new TrackingStation(await operatorToken('*'));
    const first = await tracker.watch(shortWindow.wsUrl, ['701']);
    const ts = Date.now();
    await publisher.publish(SHORT_CHANNEL, raw(701, ts));
    await publisher.publish(SHORT_CHANNEL, raw(701, ts + 1));
    await expect.poll(() => tracker.count()).toBe(2);
    await first.close();
    await publisher.publish(SHORT_CHANNEL, raw(701, ts + 2)); // missed, then trimmed with the window
    await new Promise((r) => setTimeout(r, WINDOW_MS + 300));
    await publisher.publish(SHORT_CHANNEL, raw(701, ts + 3));
    await expect.poll(() => publisher.hget('short:{701}:meta', 'offset')).toBe('4');

    const again = await tracker.watch(shortWindow.wsUrl, ['701']);
    expect((await again.next('watched')).catchup).toMatchObject({
      status: 'not_recoverable',
      reason: 'beyond_window',
      latest: 4,
    });
    await publisher.publish(SHORT_CHANNEL, raw(701, ts + 4));
    await again.next('fix');
    expect(again.all('fix').map((m) => [m.fix.offset, m.replay ?? false])).toEqual([[5, false]]);
    expect(again.all('replay_done')).toEqual([]);
    await again.close();
  });

  it('after Redis lost its data: epoch_changed on watch and for a station that stayed connected', async () => {
    const away = new TrackingStation(await operatorToken('*'));
    const stays = new TrackingStation(await operatorToken('*'));
    await away.watch(shortWindow.wsUrl, ['702']);
    const connected = await stays.watch(shortWindow.wsUrl, ['702']);
    const ts = Date.now();
    for (let i = 0; i < 3; i++) await publisher.publish(SHORT_CHANNEL, raw(702, ts + i));
    await expect.poll(() => away.count() + stays.count()).toBe(6);
    const oldEpoch = away.held.get('702')?.epoch;
    await away.station?.close();

    await redis.stop();
    await redis.start();
    // The connected station is told by the relay's re-catch-up after the reconnect, without asking.
    const told = await connected.next(
      'watched',
      (m) => m.id === undefined && m.catchup.status === 'not_recoverable',
      20_000,
    );
    expect(told.catchup).toMatchObject({ status: 'not_recoverable', reason: 'epoch_changed' });
    await expect.poll(() => subscribers(SHORT_CHANNEL), { timeout: 10_000 }).toBe(1);
    await publisher.publish(SHORT_CHANNEL, raw(702, ts + 10));

    const back = await away.watch(shortWindow.wsUrl, ['702']);
    expect((await back.next('watched')).catchup).toMatchObject({
      status: 'not_recoverable',
      reason: 'epoch_changed',
    });
    // The new history starts again at offset 1 in another epoch; the connected station gets it too (not dropped as
    // a repeat of the offset 1 it held).
    await expect.poll(() => stays.fixes.get('702')?.length).toBe(4);
    const fresh = stays.fixes.get('702')?.[3];
    expect(fresh?.offset).toBe(1);
    expect(fresh?.epoch).not.toBe(oldEpoch);
    expect(back.all('fix').filter((m) => m.replay)).toEqual([]);
    await Promise.all([back.close(), connected.close()]);
  }, 40_000);
});
