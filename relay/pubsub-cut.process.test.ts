/**
 * When Redis cuts the relay's subscriber (its `client-output-buffer-limit pubsub` passed during a burst of large
 * messages), nothing is missed silently: a relay process warns at start that the limit is too low, and after the
 * subscriber reconnects it re-checks every watched member from Redis, so every fix Redis positioned reaches the
 * station exactly once (the gap pub/sub left is found and filled by a replay).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import { connectStation, operatorToken, spawnRelay, type SpawnedRelay } from '../test/support/relay.js';

const PREFIX = 'pubsub-cut:';
let redis: PrivateRedis;
let control: Redis;
let relay: SpawnedRelay;

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  redis = await startPrivateRedis();
  control = new Redis(redis.url);
  await control.config('SET', 'client-output-buffer-limit', 'pubsub 262144 131072 60');
  relay = await spawnRelay({ REDIS_URL: redis.url, RELAY_KEY_PREFIX: PREFIX, RELAY_LOG_LEVEL: 'info' });
  await until(
    async () => ((await control.call('PUBSUB', 'NUMSUB', 'location_update')) as [string, number])[1] === 1,
  );
}, 30_000);
afterAll(async () => {
  relay?.child.kill('SIGKILL');
  control?.disconnect();
  await redis?.stop();
});

describe('a subscriber cut by client-output-buffer-limit pubsub', () => {
  it('is warned about at start', async () => {
    await until(() => relay.output().includes('client-output-buffer-limit pubsub is 262144 131072 60'));
  });

  it('is followed by a re-check that delivers every positioned fix once', async () => {
    const station = await connectStation(relay.wsUrl, await operatorToken('*'));
    station.send({ type: 'watch', id: 'w', members: [{ uid: '71' }] });
    await station.next('watched');
    const ts = Date.now();
    await control.publish('location_update', JSON.stringify({ uid: 71, longitude: 1, latitude: 1, ts }));
    await station.next('fix');

    // A burst of large raw messages (3.5 KB of padding each) fills the subscriber's buffer past the hard limit.
    const pipeline = control.pipeline();
    const pad = 'x'.repeat(3500);
    for (let i = 1; i <= 2000; i++) {
      pipeline.publish(
        'location_update',
        JSON.stringify({ uid: 71, longitude: 1, latitude: 1, ts: ts + i, pad }),
      );
    }
    await pipeline.exec();
    const metricsText = async () => (await fetch(`${relay.httpUrl}/metrics`)).text();
    await until(async () =>
      /lodestar_relay_redis_reconnects_total\{connection="subscriber"\} [1-9]/.test(await metricsText()),
    );

    // Every fix Redis positioned (whatever the cut let through) reaches the station once, in offset order.
    const stream = `${PREFIX}{71}:fixes`;
    await until(async () => {
      const positioned = await control.xlen(stream);
      return station.all('fix').length >= positioned && positioned > 1;
    });
    const positioned = await control.xlen(stream);
    const offsets = station.all('fix').map((m) => m.fix.offset);
    expect(offsets).toEqual(Array.from({ length: positioned }, (_, i) => i + 1));
    await station.close();
  }, 60_000);
});
