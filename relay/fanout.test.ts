import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from './app.js';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import { connectStation, operatorToken, startTestRelay, type TestStation } from '../test/support/relay.js';

const PREFIX = 'fanout-test:';
let redis: PrivateRedis;
let relay: RunningRelay;
let publisher: Redis;

beforeAll(async () => {
  redis = await startPrivateRedis();
  relay = await startTestRelay({ redisUrl: redis.url, keyPrefix: PREFIX });
  publisher = new Redis(redis.url);
});
afterAll(async () => {
  publisher.disconnect();
  await relay.close({ drainMs: 0 });
  await redis.stop();
});

const publish = (raw: unknown) =>
  publisher.publish('location_update', typeof raw === 'string' ? raw : JSON.stringify(raw));

async function watching(members: '*' | string[], watch: string[]): Promise<TestStation> {
  const station = await connectStation(relay.wsUrl, await operatorToken(members));
  station.send({ type: 'watch', members: watch.map((uid) => ({ uid })) });
  for (const uid of watch) await station.next('watched', (m) => m.uid === uid);
  return station;
}

describe('fan-out', () => {
  it('delivers each fix only to the connections watching that member', async () => {
    const a = await watching('*', ['101']);
    const b = await watching(['101', '102'], ['102']);
    const c = await watching('*', ['101', '102']);
    await publish({ uid: 101, longitude: '113.1', latitude: '23.1' });
    await publish({ uid: 102, longitude: '113.2', latitude: '23.2' });
    await publish({ uid: 103, longitude: '113.3', latitude: '23.3' });
    await c.next('fix', (m) => m.fix.uid === '102');
    await a.next('fix', (m) => m.fix.uid === '101');
    await b.next('fix', (m) => m.fix.uid === '102');
    // A marker fix proves everything published before it has been dispatched.
    await publish({ uid: 101, longitude: '1', latitude: '1' });
    await c.next('fix', (m) => m.fix.uid === '101' && m.fix.lon === 1);
    expect(a.all('fix').map((m) => m.fix.uid)).not.toContain('102');
    expect(b.all('fix').map((m) => m.fix.uid)).toEqual(['102']);
    expect(
      c
        .all('fix')
        .map((m) => m.fix.uid)
        .sort(),
    ).toEqual(['101', '101', '102']);
    expect(
      a
        .all('fix')
        .concat(b.all('fix'), c.all('fix'))
        .map((m) => m.fix.uid),
    ).not.toContain('103');
    expect(a.all('fix')[0]?.fix).toEqual({
      uid: '101',
      lon: 113.1,
      lat: 23.1,
      ts: expect.any(Number),
      crs: 'gcj02',
      // Positioning is on by default: the member's first fix.
      epoch: expect.any(String),
      offset: 1,
    });
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it('answers a watch with the latest known position, and null for an unknown member', async () => {
    const writer = await watching('*', ['201']);
    await publish({ uid: 201, longitude: '100', latitude: '10', ts: Date.now() - 1000 });
    await publish({ uid: 201, longitude: '101', latitude: '11' });
    await writer.next('fix', (m) => m.fix.lon === 101);
    const late = await connectStation(relay.wsUrl, await operatorToken('*'));
    late.send({ type: 'watch', id: 'w1', members: [{ uid: '201' }, { uid: '299' }] });
    const known = await late.next('watched', (m) => m.uid === '201');
    expect(known).toMatchObject({
      id: 'w1',
      latest: { uid: '201', lon: 101, lat: 11 },
      catchup: { status: 'live' },
    });
    expect(await late.next('watched', (m) => m.uid === '299')).toMatchObject({ latest: null });
    await Promise.all([writer.close(), late.close()]);
  });

  it('keeps the latest position in Redis for other relay instances', async () => {
    const writer = await watching('*', ['301']);
    await publish({ uid: 301, longitude: '50', latitude: '5' });
    await writer.next('fix', (m) => m.fix.uid === '301');
    const other = await startTestRelay({ redisUrl: redis.url, keyPrefix: PREFIX });
    try {
      const s = await connectStation(other.wsUrl, await operatorToken('*'));
      // The first instance flushes latest positions every 50 ms.
      await new Promise((r) => setTimeout(r, 120));
      s.send({ type: 'watch', members: [{ uid: '301' }] });
      expect(await s.next('watched')).toMatchObject({ latest: { uid: '301', lon: 50, lat: 5 } });
      await s.close();
    } finally {
      await other.close({ drainMs: 0 });
      await writer.close();
    }
  });

  it('refuses members the token does not allow with forbidden, and sends nothing else for them', async () => {
    const s = await connectStation(relay.wsUrl, await operatorToken(['401']));
    s.send({ type: 'watch', id: 'x', members: [{ uid: '401' }, { uid: '402' }] });
    expect(await s.next('error')).toMatchObject({ code: 'forbidden', uid: '402', id: 'x' });
    await s.next('watched', (m) => m.uid === '401');
    await publish({ uid: 402, longitude: 1, latitude: 1 });
    await publish({ uid: 401, longitude: 2, latitude: 2 });
    await s.next('fix', (m) => m.fix.uid === '401');
    expect(s.all('fix').map((m) => m.fix.uid)).toEqual(['401']);
    expect(s.all('watched').map((m) => m.uid)).toEqual(['401']);
    await s.close();
  });

  it('stops delivering after unwatch', async () => {
    const s = await watching('*', ['501', '502']);
    s.send({ type: 'unwatch', id: 'u', members: ['501'] });
    expect(await s.next('unwatched')).toMatchObject({ uid: '501', id: 'u' });
    await publish({ uid: 501, longitude: 1, latitude: 1 });
    await publish({ uid: 502, longitude: 1, latitude: 1 });
    await s.next('fix', (m) => m.fix.uid === '502');
    expect(s.all('fix').map((m) => m.fix.uid)).toEqual(['502']);
    await s.close();
  });
});
