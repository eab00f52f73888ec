/**
 * A relay takes stations only once its subscription is in place: a fix published between a station's watch and
 * the SUBSCRIBE reaching Redis would never be delivered live (pub/sub keeps nothing). Seen in the full test run,
 * where the subscriber connection was still connecting when the first station watched.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import { startTestRelay } from '../test/support/relay.js';

let redis: PrivateRedis;
let probe: Redis;

beforeAll(async () => {
  redis = await startPrivateRedis();
  probe = new Redis(redis.url);
});
afterAll(async () => {
  probe.disconnect();
  await redis.stop();
});

describe('a starting relay', () => {
  it.each([
    ['with positioning', { positioning: true }, ['location_update', 'location_update:positioned']],
    ['without positioning', { positioning: false }, ['location_update']],
  ] as const)('%s is subscribed when it starts taking stations', async (_name, options, channels) => {
    const relay = await startTestRelay({ redisUrl: redis.url, ...options });
    try {
      const counts = (await probe.call('PUBSUB', 'NUMSUB', ...channels)) as (string | number)[];
      for (let k = 0; k < channels.length; k++)
        expect([channels[k], Number(counts[2 * k + 1])]).toEqual([channels[k], 1]);
    } finally {
      await relay.close({ drainMs: 0 });
    }
  });
});
