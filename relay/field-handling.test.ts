/**
 * What the docs promise about odd input, against a real relay and a private Redis: a blank coordinate ("  ") is
 * `missing_coordinates` like "", a negative speed and a heading outside [0, 360) are dropped from the fix (which is
 * kept) and counted by field, and a text frame that is not UTF-8 closes the connection with 1007.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from './app.js';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import { connectStation, operatorToken, startTestRelay, type TestStation } from '../test/support/relay.js';

let redis: PrivateRedis;
let relay: RunningRelay;
let publisher: Redis;
let station: TestStation;

beforeAll(async () => {
  redis = await startPrivateRedis();
  relay = await startTestRelay({ redisUrl: redis.url });
  publisher = new Redis(redis.url);
  station = await connectStation(relay.wsUrl, await operatorToken('*'));
  station.send({ type: 'watch', id: 'w', members: [{ uid: '61' }] });
  await station.next('watched');
});
afterAll(async () => {
  publisher.disconnect();
  await station.close();
  await relay.close({ drainMs: 0 });
  await redis.stop();
});

async function metric(pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${relay.httpUrl}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}

describe('odd fields on Redis', () => {
  it('counts a blank coordinate as missing_coordinates', async () => {
    const missing = /lodestar_relay_fixes_dropped_total\{reason="missing_coordinates"\} (\d+)/;
    const before = await metric(missing);
    await publisher.publish('location_update', '{"uid":61,"longitude":"  ","latitude":"23.1"}');
    await expect.poll(() => metric(missing)).toBe(before + 1);
    expect(await metric(/lodestar_relay_fixes_dropped_total\{reason="bad_coordinates"\} (\d+)/)).toBe(0);
  });

  it('keeps a fix with speed -1 and heading 400 without those fields, and counts them', async () => {
    const ts = Date.now();
    await publisher.publish(
      'location_update',
      JSON.stringify({
        uid: 61,
        longitude: '113.3',
        latitude: '23.1',
        speed: '-1',
        heading: 400,
        accuracy: 5,
        ts,
      }),
    );
    const { fix } = await station.next('fix', (m) => m.fix.ts === ts);
    expect(fix).toMatchObject({ accuracy: 5 });
    expect(fix).not.toHaveProperty('speed');
    expect(fix).not.toHaveProperty('heading');
    expect(await metric(/lodestar_relay_fix_fields_dropped_total\{field="speed"\} (\d+)/)).toBe(1);
    expect(await metric(/lodestar_relay_fix_fields_dropped_total\{field="heading"\} (\d+)/)).toBe(1);
  });
});

describe('frames', () => {
  it('closes a connection that sends invalid UTF-8 in a text frame with 1007', async () => {
    const other = await connectStation(relay.wsUrl, await operatorToken('*'));
    other.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await other.closed).code).toBe(1007);
  });
});
