import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIX_REJECT_REASONS } from '../protocol/fix.js';
import type { RunningRelay } from './app.js';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import { connectStation, operatorToken, startTestRelay, type TestStation } from '../test/support/relay.js';

let redis: PrivateRedis;
let relay: RunningRelay;
let publisher: Redis;
let station: TestStation;

beforeAll(async () => {
  redis = await startPrivateRedis();
  // Positioning off: this file is about framing and refusals, and checks what an unpositioned relay answers.
  relay = await startTestRelay({
    redisUrl: redis.url,
    maxPayload: 1024,
    controlBurst: 5,
    controlRate: 1,
    positioning: false,
  });
  publisher = new Redis(redis.url);
  station = await connectStation(relay.wsUrl, await operatorToken('*'));
  station.send({ type: 'watch', members: [{ uid: '1' }] });
  await station.next('watched');
});
afterAll(async () => {
  publisher.disconnect();
  await relay.close({ drainMs: 0 });
  await redis.stop();
});

async function dropped(): Promise<Record<string, number>> {
  const text = await (await fetch(`${relay.httpUrl}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^lodestar_relay_fixes_dropped_total\{reason="(\w+)"\} (\d+)/gm)) {
    out[m[1] as string] = Number(m[2]);
  }
  return out;
}

describe('bad input on Redis is dropped, counted by reason, and never reaches a station', () => {
  it.each([
    ['not JSON', '{"uid":1,', 'not_json'],
    ['not an object', '[1,2,3]', 'not_object'],
    ['no uid', '{"longitude":1,"latitude":1}', 'missing_uid'],
    ['bad uid', '{"uid":{"x":1},"longitude":1,"latitude":1}', 'bad_uid'],
    [
      'empty coordinates (PHP input() default)',
      '{"uid":1,"longitude":"","latitude":""}',
      'missing_coordinates',
    ],
    ['non-numeric', '{"uid":1,"longitude":"abc","latitude":"1"}', 'bad_coordinates'],
    ['NaN', '{"uid":1,"longitude":"NaN","latitude":"1"}', 'bad_coordinates'],
    ['infinite', '{"uid":1,"longitude":"1e999","latitude":"1"}', 'bad_coordinates'],
    ['out of range', '{"uid":1,"longitude":200,"latitude":1}', 'out_of_range'],
    ['over 4 KiB', JSON.stringify({ uid: 1, longitude: 1, latitude: 1, pad: 'x'.repeat(5000) }), 'too_large'],
  ])('%s → %s', async (_name, message, reason) => {
    const before = (await dropped())[reason] ?? 0;
    await publisher.publish('location_update', message);
    const marker = Math.random() * 10;
    await publisher.publish('location_update', JSON.stringify({ uid: 1, longitude: marker, latitude: 0 }));
    await station.next('fix', (m) => m.fix.lon === marker);
    expect((await dropped())[reason]).toBe(before + 1);
    expect(station.all('fix').every((m) => m.fix.lat === 0)).toBe(true);
  });

  it('exports every reason label from the start', async () => {
    expect(Object.keys(await dropped()).sort()).toEqual([...FIX_REJECT_REASONS].sort());
  });

  it('survives a flood of garbage', async () => {
    const pipeline = publisher.pipeline();
    for (let i = 0; i < 2000; i++) pipeline.publish('location_update', i % 2 ? '\u0000\uffff' : '{"uid":');
    await pipeline.exec();
    await publisher.publish('location_update', JSON.stringify({ uid: 1, longitude: 5, latitude: 0 }));
    await station.next('fix', (m) => m.fix.lon === 5);
    expect((await fetch(`${relay.httpUrl}/healthz`)).status).toBe(200);
  });
});

describe('bad input from stations gets an error with a stable code; the connection survives', () => {
  it.each([
    ['malformed JSON', '{"type":', 'bad_json'],
    ['not an object', '[1]', 'bad_message'],
    ['no type', '{"members":[]}', 'bad_message'],
    ['unknown type', '{"type":"subscribe"}', 'unknown_type'],
    ['wrong field type', '{"type":"watch","members":"42"}', 'bad_field'],
    ['bad uid', '{"type":"watch","members":[{"uid":"a b"}]}', 'bad_field'],
    ['empty member list', '{"type":"unwatch","members":[]}', 'bad_field'],
  ])('%s → %s', async (_name, frame, code) => {
    const s = await connectStation(relay.wsUrl, await operatorToken('*'));
    s.send(frame);
    expect(await s.next('error')).toMatchObject({ code, message: expect.any(String) });
    s.send({ type: 'ping', id: 'p' });
    expect(await s.next('pong')).toMatchObject({ id: 'p' });
    await s.close();
  });

  it('refuses binary frames', async () => {
    const s = await connectStation(relay.wsUrl, await operatorToken('*'));
    s.ws.send(Buffer.from([1, 2, 3]));
    expect(await s.next('error')).toMatchObject({ code: 'bad_message' });
    await s.close();
  });

  it('closes with 1009 on a frame above maxPayload', async () => {
    const s = await connectStation(relay.wsUrl, await operatorToken('*'));
    s.send({ type: 'ping', id: 'x'.repeat(2000) });
    expect((await s.closed).code).toBe(1009);
  });

  it('rate-limits control messages, then closes an abuser with 1008', async () => {
    const s = await connectStation(relay.wsUrl, await operatorToken('*'));
    for (let i = 0; i < 8; i++) s.send({ type: 'ping' });
    expect(await s.next('error')).toMatchObject({ code: 'rate_limited' });
    expect(s.all('pong').length).toBeLessThanOrEqual(6);
    for (let i = 0; i < 40; i++) s.send({ type: 'ping' });
    expect((await s.closed).code).toBe(1008);
  });

  it('answers history and range with unavailable while positioning is off', async () => {
    const s = await connectStation(relay.wsUrl, await operatorToken('*'));
    s.send({ type: 'history', id: 'h', uid: '1', from: 0, to: 1 });
    expect(await s.next('error', (m) => m.id === 'h')).toMatchObject({ code: 'unavailable', uid: '1' });
    s.send({ type: 'watch', id: 'w', members: [{ uid: '1', since: { epoch: 'e', offset: 3 } }] });
    expect(await s.next('watched')).toMatchObject({
      catchup: { status: 'not_recoverable', reason: 'unavailable' },
    });
    await s.close();
  });
});

describe('HTTP endpoints', () => {
  it.each([
    ['/healthz', 200],
    ['/readyz', 200],
    ['/nope', 404],
    ['/', 426],
  ])('GET %s → %i', async (path, status) => {
    expect((await fetch(`${relay.httpUrl}${path}`)).status).toBe(status);
  });

  it('serves Prometheus metrics with the lodestar_relay_ prefix', async () => {
    const text = await (await fetch(`${relay.httpUrl}/metrics`)).text();
    for (const name of [
      'lodestar_relay_connections',
      'lodestar_relay_watched_members',
      'lodestar_relay_fixes_received_total',
      'lodestar_relay_fixes_delivered_total',
      'lodestar_relay_fixes_dropped_total',
      'lodestar_relay_delivery_latency_seconds_bucket',
      'lodestar_relay_redis_up 1',
    ]) {
      expect(text).toContain(name);
    }
  });
});
