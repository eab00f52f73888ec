import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServerNotFound, startPrivateRedis, type PrivateRedis } from './redis-server.js';

describe('startPrivateRedis', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterAll(() => redis.stop());

  it('serves commands and loses its data on restart', async () => {
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    await client.set('k', 'v');
    expect(await client.get('k')).toBe('v');
    client.disconnect();
    await redis.stop();
    expect(redis.running).toBe(false);
    await redis.start();
    const again = new Redis(redis.url);
    expect(await again.get('k')).toBeNull();
    again.disconnect();
  });
});

describe('startPrivateRedis without the binary', () => {
  it('rejects with RedisServerNotFound, not an unhandled error event', async () => {
    const started = startPrivateRedis({ binary: 'redis-server-that-does-not-exist' });
    await expect(started).rejects.toBeInstanceOf(RedisServerNotFound);
    await expect(started).rejects.toMatchObject({ code: 'REDIS_SERVER_NOT_FOUND' });
  });
});
