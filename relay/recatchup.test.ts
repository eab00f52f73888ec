/**
 * README step 7 of relay/positioning: when the relay's Redis connections come back, it catches every watched member
 * up from the last position it sent, so what pub/sub lost meanwhile still reaches the station, once and in order.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from './app.js';
import { createPositioning } from './positioning/positioning.js';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import { connectStation, operatorToken, startTestRelay } from '../test/support/relay.js';

let redis: PrivateRedis;
let relay: RunningRelay;
let backend: Redis;

beforeAll(async () => {
  redis = await startPrivateRedis();
  relay = await startTestRelay({ redisUrl: redis.url, keyPrefix: 'recatchup:' });
  backend = new Redis(redis.url, { enableAutoPipelining: true });
});
afterAll(async () => {
  await relay.close({ drainMs: 0 });
  backend.disconnect();
  await redis.stop();
});

describe('re-catch-up after a Redis reconnect', () => {
  it('replays the fixes published while the relay’s subscriber was away', async () => {
    // The backend positions fixes itself (as PHP may): they reach relays only through the positioned channel.
    const positioning = createPositioning(backend, { keyPrefix: 'recatchup:' });
    const fix = (i: number) => ({
      uid: '31',
      lat: 23.1,
      lon: 113.3,
      ts: 1_700_000_000_000 + i,
      crs: 'gcj02' as const,
    });
    const station = await connectStation(relay.wsUrl, await operatorToken('*'));
    station.send({ type: 'watch', id: 'w', members: [{ uid: '31' }] });
    await station.next('watched');
    await positioning.position(fix(1), 'k1');
    await station.next('fix', (m) => m.fix.offset === 1);

    // Cut the relay's subscriber and, in the same pipeline, position three fixes: they are published while no
    // subscriber of this relay is connected, so pub/sub never delivers them.
    const missed = [
      backend.client('KILL', 'TYPE', 'pubsub'),
      positioning.position(fix(2), 'k2'),
      positioning.position(fix(3), 'k3'),
      positioning.position(fix(4), 'k4'),
    ];
    await Promise.all(missed);

    const told = await station.next('watched', (m) => m.id === undefined, 15_000);
    expect(told.catchup).toMatchObject({ status: 'replaying', from: 2, to: 4, count: 3 });
    expect(await station.next('replay_done')).toMatchObject({ uid: '31', count: 3 });
    await positioning.position(fix(5), 'k5');
    await station.next('fix', (m) => m.fix.offset === 5);
    expect(station.all('fix').map((m) => [m.fix.offset, m.replay ?? false])).toEqual([
      [1, false],
      [2, true],
      [3, true],
      [4, true],
      [5, false],
    ]);
    await station.close();
    // The relay reconnects with jittered backoff: the test may take as long as the 15 s wait for `watched` above.
  }, 20_000);
});
