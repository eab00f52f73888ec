/**
 * Positioning as the relay wires it by default (relay/positioned-relay.ts): two in-process relays on one private
 * redis-server both consume the raw channel; a station on each receives every fix exactly once, with its position.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../app.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import { connectStation, memberToken, operatorToken, startTestRelay } from '../../test/support/relay.js';

let server: PrivateRedis;
let publisher: Redis;
const relays: RunningRelay[] = [];

function startPositioningRelay(relayId: string): Promise<RunningRelay> {
  return startTestRelay({ redisUrl: server.url, keyPrefix: 'int:', relayId });
}

beforeAll(async () => {
  server = await startPrivateRedis();
  publisher = new Redis(server.url);
  relays.push(await startPositioningRelay('A'), await startPositioningRelay('B'));
});
afterAll(async () => {
  for (const relay of relays) await relay.close({ drainMs: 0 });
  publisher.disconnect();
  await server.stop();
});

describe('positioning through startRelay', () => {
  it('delivers every raw fix once, positioned once, to stations on both relays', async () => {
    const stations = await Promise.all(
      relays.map(async (r) => connectStation(r.wsUrl, await operatorToken('*'))),
    );
    for (const s of stations) s.send({ type: 'watch', members: [{ uid: '5' }, { uid: '6' }] });
    await Promise.all(
      stations.flatMap((s) => [
        s.next('watched', (m) => m.uid === '5'),
        s.next('watched', (m) => m.uid === '6'),
      ]),
    );
    // Both relays must be subscribed to the raw channel before publishing, or one would see only some messages.
    await expect
      .poll(
        async () => ((await publisher.call('PUBSUB', 'NUMSUB', 'location_update')) as [string, number])[1],
      )
      .toBe(2);

    for (let i = 1; i <= 40; i++) {
      await publisher.publish(
        'location_update',
        JSON.stringify({ uid: 5 + (i % 2), longitude: '113.3', latitude: '23.1', ts: 1_700_000_000_000 + i }),
      );
    }
    for (const station of stations) await expect.poll(() => station.all('fix').length).toBe(40);
    await new Promise((r) => setTimeout(r, 100)); // room for a duplicate to show up, if there were one
    for (const station of stations) {
      expect(station.all('fix')).toHaveLength(40);
      for (const uid of ['5', '6']) {
        const fixes = station
          .all('fix')
          .map((m) => m.fix)
          .filter((f) => f.uid === uid);
        expect(fixes.map((f) => f.offset)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect(new Set(fixes.map((f) => f.epoch)).size).toBe(1);
      }
    }
    await Promise.all(stations.map((s) => s.close()));
  });

  it('positions repeats of identical bytes (PHP sends no time: a member standing still), each once', async () => {
    const stations = await Promise.all(
      relays.map(async (r) => connectStation(r.wsUrl, await operatorToken('*'))),
    );
    for (const s of stations) s.send({ type: 'watch', members: [{ uid: '9' }] });
    await Promise.all(stations.map((s) => s.next('watched')));
    const still = JSON.stringify({ uid: 9, longitude: '113.3', latitude: '23.1' });
    for (let i = 0; i < 3; i++) await publisher.publish('location_update', still);
    for (const station of stations) await expect.poll(() => station.all('fix').length).toBe(3);
    await new Promise((r) => setTimeout(r, 100));
    for (const station of stations) {
      expect(station.all('fix').map((m) => m.fix.offset)).toEqual([1, 2, 3]);
    }
    await Promise.all(stations.map((s) => s.close()));
  });

  it('positions a fix posted to ingest once, and a re-published copy with the same cid not again', async () => {
    const stations = await Promise.all(
      relays.map(async (r) => connectStation(r.wsUrl, await operatorToken('*'))),
    );
    for (const s of stations) s.send({ type: 'watch', members: [{ uid: '11' }] });
    await Promise.all(stations.map((s) => s.next('watched')));
    const sent = { longitude: 113.31, latitude: 23.11, cid: 'dev-1', ts: Date.now() };
    const answer = await fetch(`${relays[0]!.httpUrl}/api/location/move`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await memberToken('11')}` },
      body: JSON.stringify(sent),
    });
    expect(answer.status).toBe(200);
    // The same fix on the raw channel again (a second ingest whose dedup entry expired, a PHP retry): cid decides.
    await publisher.publish('location_update', JSON.stringify({ uid: 11, ...sent }));
    await publisher.publish(
      'location_update',
      JSON.stringify({ uid: 11, ...sent, latitude: 23.12, cid: 'dev-2' }),
    );
    for (const station of stations) await expect.poll(() => station.all('fix').length).toBe(2);
    await new Promise((r) => setTimeout(r, 100));
    for (const station of stations) {
      expect(station.all('fix').map((m) => [m.fix.cid, m.fix.offset])).toEqual([
        ['dev-1', 1],
        ['dev-2', 2],
      ]);
    }
    await Promise.all(stations.map((s) => s.close()));
  });
});
