import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fix } from '../protocol/fix.js';
import { fixJson } from '../protocol/fix-json.js';
import { type PrivateRedis, startPrivateRedis } from '../test/support/redis-server.js';
import { redisLatestPositions } from './latest.js';

let server: PrivateRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startPrivateRedis();
  redis = new Redis(server.url);
  await redis.ping(); // ready: the store skips flushes while Redis is away
});

afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

const fix = (uid: string, ts: number): Fix => ({ uid, lat: 1, lon: ts % 100, ts, crs: 'gcj02' });

describe('redisLatestPositions keeps each member’s newest fix, unflushed fixes first', () => {
  it.each<[string, Fix[], Record<string, number>]>([
    ['one fix', [fix('1', 1000)], { '1': 1000 }],
    ['in order', [fix('1', 1000), fix('1', 2000), fix('1', 3000)], { '1': 3000 }],
    ['a late fix does not replace a newer one', [fix('1', 3000), fix('1', 2000)], { '1': 3000 }],
    [
      'the same time replaces (the later message wins)',
      [fix('1', 3000), { ...fix('1', 3000), lat: 2 }],
      { '1': 3000 },
    ],
    [
      'members are independent',
      [fix('1', 3000), fix('2', 1000), fix('1', 2000), fix('2', 4000), fix('3', 5)],
      { '1': 3000, '2': 4000, '3': 5 },
    ],
  ])('%s', async (name, fixes, expected) => {
    const prefix = `latest-test:${name}:`;
    const latest = redisLatestPositions(redis, prefix, pino({ level: 'silent' }), 60_000);
    for (const f of fixes) latest.record(f, fixJson(f));
    const last = new Map<string, Fix>();
    for (const f of fixes) {
      const known = last.get(f.uid);
      if (!known || known.ts <= f.ts) last.set(f.uid, f);
    }
    // Before the flush: answered from memory.
    for (const [uid, ts] of Object.entries(expected)) {
      expect(await latest.get(uid)).toStrictEqual(last.get(uid));
      expect(last.get(uid)?.ts).toBe(ts);
    }
    // close() flushes: the hash holds each member's newest fix JSON.
    await latest.close(); // resolves once the write has reached Redis
    const stored = await redis.hgetall(`${prefix}latest`);
    expect(Object.keys(stored).sort()).toStrictEqual([...last.keys()].sort());
    for (const [uid, f] of last) expect(stored[uid]).toBe(fixJson(f));
    // After the flush: read back from Redis.
    for (const uid of Object.keys(expected)) expect(await latest.get(uid)).toStrictEqual(last.get(uid));
  });
});
