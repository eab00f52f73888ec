/**
 * Ingest dedup claims on a private Redis: bucketed sets, not a key per fix. A retry within the TTL is a duplicate,
 * the claims are forgotten after at most 1.5 × TTL, only a few keys exist at any time, and a claim costs far less
 * memory than the key-per-fix scheme it replaced (measured here; the figure is in docs/scaling.md).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fix } from '../../protocol/fix.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import { publishOnce } from './publish.js';

let redis: PrivateRedis;
let client: Redis;

beforeAll(async () => {
  redis = await startPrivateRedis();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

const fix = (uid: string, cid: string): Fix => ({
  uid,
  lat: 23.1,
  lon: 113.3,
  ts: 1_764_000_000_000,
  crs: 'gcj02',
  cid,
});

async function usedMemory(): Promise<number> {
  const info = await client.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}

describe('ingest dedup claims', () => {
  it('dedups a retry within the TTL and forgets it after at most 1.5 × TTL, in a few keys', async () => {
    const prefix = 'ttl:';
    expect(await publishOnce(client, 'ch', prefix, 2, [fix('42', 'a'), fix('42', 'b')])).toEqual([
      true,
      true,
    ]);
    expect(await publishOnce(client, 'ch', prefix, 2, [fix('42', 'a'), fix('43', 'a')])).toEqual([
      false,
      true,
    ]);
    // The same cid twice in one batch: the second is the duplicate.
    expect(await publishOnce(client, 'ch', prefix, 2, [fix('44', 'z'), fix('44', 'z')])).toEqual([
      true,
      false,
    ]);
    expect((await client.keys(`${prefix}*`)).length).toBeLessThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 3100));
    expect(await publishOnce(client, 'ch', prefix, 2, [fix('42', 'a')])).toEqual([true]);
  });

  it('costs well under the memory of a key per fix', async () => {
    const n = 20_000;
    const cid = (i: number) => `c${i.toString(36).padStart(8, '0')}-${(i * 7919).toString(36)}`;
    const before = await usedMemory();
    for (let i = 0; i < n; i += 500) {
      const batch = Array.from({ length: 500 }, (_, j) => fix(String(1000 + ((i + j) % 1000)), cid(i + j)));
      await publishOnce(client, 'ch', 'mem:', 86_400, batch);
    }
    const sets = (await usedMemory()) - before;

    // The scheme it replaced: SET <prefix>ingest:cid:<uid>:<cid> 1 EX <ttl> NX per fix.
    const beforeKeys = await usedMemory();
    for (let i = 0; i < n; i += 500) {
      const pipeline = client.pipeline();
      for (let j = 0; j < 500; j++) {
        pipeline.set(`old:ingest:cid:${1000 + ((i + j) % 1000)}:${cid(i + j)}`, '1', 'EX', 86_400, 'NX');
      }
      await pipeline.exec();
    }
    const keys = (await usedMemory()) - beforeKeys;
    console.log(
      `dedup memory per fix: ${(sets / n).toFixed(1)} B in bucketed sets, ${(keys / n).toFixed(1)} B as keys`,
    );
    expect(sets / n).toBeLessThan((keys / n) * 0.7);
  });
});
