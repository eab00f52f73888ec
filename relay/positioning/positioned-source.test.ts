/**
 * Two relays' fix sources on one private redis-server: each raw message is positioned once, and both relays'
 * sinks receive every positioned fix exactly once, in offset order per member; bad messages are counted.
 */
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Counter, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fix, PositionedFix } from '../../protocol/fix.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import type { FixSource } from '../fix-source.js';
import { createSampledWarn } from '../sampled-warn.js';
import { positionedChannelSource } from './positioned-source.js';
import { createPositioning } from './positioning.js';

let server: PrivateRedis;
const connections: Redis[] = [];
const connect = () => {
  const client = new Redis(server.url, { enableAutoPipelining: true });
  connections.push(client);
  return client;
};

beforeAll(async () => {
  server = await startPrivateRedis();
});
afterAll(async () => {
  for (const c of connections) c.disconnect();
  await server.stop();
});

function relay(positionRaw = true, maxInflight?: number) {
  const registry = new Registry();
  const metrics = {
    fixesReceived: new Counter({ name: 'received', help: 'h', registers: [registry] }),
    fixesDropped: new Counter({
      name: 'dropped',
      help: 'h',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
  const positioning = createPositioning(connect(), { keyPrefix: 'src:' });
  const source: FixSource = positionedChannelSource(connect(), positioning, {
    rawChannel: 'location_update',
    positionRaw,
    ...(maxInflight ? { maxInflight } : {}),
    metrics,
    warn: createSampledWarn(pino({ level: 'silent' })),
  });
  const received: (Fix & Partial<PositionedFix>)[] = [];
  const dropped = async () =>
    Object.fromEntries((await metrics.fixesDropped.get()).values.map((v) => [v.labels.reason, v.value]));
  return { source, received, dropped, start: () => source.start((fix) => received.push(fix)) };
}

describe('positionedChannelSource', () => {
  it('positions each raw message once and feeds every relay every positioned fix once', async () => {
    const a = relay();
    const b = relay();
    const listenerOnly = relay(false);
    await Promise.all([a.start(), b.start(), listenerOnly.start()]);
    const publisher = connect();
    // Subscriptions are asynchronous: wait until all three subscribers are counted by Redis.
    await expect
      .poll(
        async () => ((await publisher.call('PUBSUB', 'NUMSUB', 'location_update')) as [string, number])[1],
      )
      .toBe(2);
    await expect
      .poll(
        async () =>
          ((await publisher.call('PUBSUB', 'NUMSUB', 'location_update:positioned')) as [string, number])[1],
      )
      .toBe(3);

    for (let i = 1; i <= 150; i++) {
      void publisher.publish(
        'location_update',
        JSON.stringify({ uid: i % 3, longitude: '113.3', latitude: '23.1', ts: 1_700_000_000_000 + i }),
      );
    }
    void publisher.publish('location_update', '{"uid":1}');
    void publisher.publish('location_update:positioned', '{"uid":"1","lat":1}');

    for (const r of [a, b, listenerOnly]) {
      await expect.poll(() => r.received.length).toBe(150);
      for (const uid of ['0', '1', '2']) {
        const offsets = r.received.filter((f) => f.uid === uid).map((f) => f.offset);
        expect(offsets).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      }
      expect((await r.dropped()).positioned_bad_field).toBe(1);
    }
    // Both raw consumers saw the bad raw message; the listener-only relay never reads the raw channel.
    expect((await a.dropped()).missing_coordinates).toBe(1);
    expect((await b.dropped()).missing_coordinates).toBe(1);
    expect((await listenerOnly.dropped()).missing_coordinates).toBeUndefined();
    await Promise.all([a.source.stop(), b.source.stop(), listenerOnly.source.stop()]);
  });

  it('drops and counts raw messages past the in-flight limit instead of queueing them', async () => {
    const small = relay(true, 5);
    await small.start();
    const publisher = connect();
    await expect
      .poll(
        async () => ((await publisher.call('PUBSUB', 'NUMSUB', 'location_update')) as [string, number])[1],
      )
      .toBeGreaterThan(0);
    const pipeline = publisher.pipeline();
    for (let i = 0; i < 200; i++)
      pipeline.publish(
        'location_update',
        JSON.stringify({ uid: 'flood', longitude: 1, latitude: 1, ts: 1_700_000_000_000 + i }),
      );
    await pipeline.exec();
    await expect.poll(async () => (await small.dropped()).position_overloaded ?? 0).toBeGreaterThan(0);
    const overloaded = (await small.dropped()).position_overloaded ?? 0;
    await expect.poll(() => small.received.filter((f) => f.uid === 'flood').length).toBe(200 - overloaded);
    await small.source.stop();
  });
});
