/**
 * The ingest against a real relay and a real Redis: a station watching the member over a real websocket sees
 * what was posted. Limits that the relay's defaults make slow to reach (rate limit) and Redis failures are tested
 * on a bare ingest handler over a second private Redis, with a raw-channel subscriber as the observer.
 */
import { createServer, request, type Server } from 'node:http';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IngestResult } from '../../protocol/ingest.js';
import { INGEST_MAX_BATCH, INGEST_MAX_BODY_BYTES } from '../../protocol/ingest.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import {
  TEST_SECRET,
  connectStation,
  memberToken,
  operatorToken,
  startTestRelay,
  type TestStation,
} from '../../test/support/relay.js';
import type { RunningRelay } from '../app.js';
import { signMemberToken } from '../auth/tokens.js';
import { createIngestHandler } from './index.js';

/**
 * Each test posts as a member of its own, so the relay's default per-member rate limit (a burst of 30) is never
 * what a test meets unless it means to.
 */
const MEMBERS = Array.from({ length: 40 }, (_, i) => String(100 + i));
let UID = '';
let redis: PrivateRedis;
let relay: RunningRelay;
let station: TestStation;
let token: string;
let seq = 0;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { error?: { code: string } } & Partial<IngestResult>;
}

function post(
  baseUrl: string,
  body: unknown,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<Answer> {
  const data = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}/api/location/move`,
      {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: JSON.parse(text) as Answer['body'],
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(method === 'GET' ? undefined : data);
  });
}

/** A fix unique to this test run, easy to find at the station. */
const fix = (extra: Record<string, unknown> = {}) => ({
  longitude: 113.3 + ++seq / 10_000,
  latitude: 23.1,
  cid: `dev-${seq}`,
  ts: Date.now(),
  ...extra,
});

/**
 * Fixes the station received since the last barrier. A barrier is a fix posted last: once it arrives, anything
 * posted before it that was going to arrive has arrived (one publisher, one channel, one socket: order is kept).
 */
async function receivedUntilBarrier(): Promise<{ lon: number; cid?: string; uid: string }[]> {
  const barrier = fix({ cid: `barrier-${seq}` });
  expect((await post(relay.httpUrl, barrier)).status).toBe(200);
  await station.next('fix', (m) => m.fix.cid === barrier.cid);
  const fixes = station
    .all('fix')
    .map((m) => m.fix)
    .filter((f) => f.uid === UID || f.uid === '43');
  const start = fixes.findIndex((f) => f.cid === lastBarrier) + 1;
  const end = fixes.findIndex((f) => f.cid === barrier.cid);
  lastBarrier = barrier.cid;
  return fixes.slice(start, end);
}
let lastBarrier = '';

beforeAll(async () => {
  redis = await startPrivateRedis();
  relay = await startTestRelay({ redisUrl: redis.url });
  station = await connectStation(relay.wsUrl, await operatorToken(['43', ...MEMBERS]));
  station.send({ type: 'watch', members: ['43', ...MEMBERS].map((uid) => ({ uid })) });
  await station.next('watched');
});

let nextMember = 0;
beforeEach(async () => {
  UID = MEMBERS[nextMember++] as string;
  token = await memberToken(UID);
  lastBarrier = '';
  const barrier = fix({ cid: `start-${seq}` });
  expect((await post(relay.httpUrl, barrier)).status).toBe(200);
  await station.next('fix', (m) => m.fix.cid === barrier.cid);
  lastBarrier = barrier.cid;
});

afterAll(async () => {
  await station?.close();
  await relay?.close({ drainMs: 0 });
  await redis?.stop();
});

describe('POST /api/location/move on a relay', () => {
  it('publishes one fix without uid under the token member, seen by a watching station', async () => {
    const sent = fix({ speed: 1.5, accuracy: 12 });
    const answer = await post(relay.httpUrl, sent);
    expect(answer).toMatchObject({ status: 200, body: { accepted: 1, duplicates: 0, refused: [] } });
    const got = await station.next('fix', (m) => m.fix.cid === sent.cid);
    expect(got.fix).toMatchObject({
      uid: UID,
      lon: sent.longitude,
      lat: 23.1,
      ts: sent.ts,
      crs: 'gcj02',
      speed: 1.5,
    });
  });

  it("accepts the customer's app shape: strings, its own uid, no ts or cid", async () => {
    const answer = await post(relay.httpUrl, {
      uid: Number(UID),
      longitude: '113.5',
      latitude: '23.25',
      speed: '0',
    });
    expect(answer).toMatchObject({ status: 200, body: { accepted: 1 } });
    expect(await receivedUntilBarrier()).toMatchObject([{ uid: UID, lon: 113.5, lat: 23.25 }]);
  });

  it('stores the good fixes of a partial batch, in order, and says which were refused and why', async () => {
    const good1 = fix();
    const good2 = fix({ heading: 90 });
    const answer = await post(relay.httpUrl, {
      fixes: [good1, { longitude: 'abc', latitude: 1 }, { latitude: 1 }, good2, { ...fix(), ts: 5 }, 'x'],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.accepted).toBe(2);
    expect(answer.body.refused?.map((r) => [r.index, r.reason])).toEqual([
      [1, 'bad_coordinates'],
      [2, 'missing_coordinates'],
      [4, 'bad_ts'],
      [5, 'not_object'],
    ]);
    expect((await receivedUntilBarrier()).map((f) => f.cid)).toEqual([good1.cid, good2.cid]);
  });

  it('answers 422 when no fix of the batch is valid', async () => {
    const answer = await post(relay.httpUrl, [{ longitude: 500, latitude: 1 }]);
    expect(answer).toMatchObject({
      status: 422,
      body: { accepted: 0, refused: [{ index: 0, reason: 'out_of_range' }] },
    });
  });

  it('publishes a client fix id once: a resent batch is answered as duplicates', async () => {
    const a = fix();
    const b = fix();
    expect((await post(relay.httpUrl, [a, b])).body).toMatchObject({ accepted: 2, duplicates: 0 });
    expect((await post(relay.httpUrl, [a, b, a])).body).toMatchObject({ accepted: 0, duplicates: 3 });
    const c = fix();
    expect((await post(relay.httpUrl, { fixes: [b, c] })).body).toMatchObject({ accepted: 1, duplicates: 1 });
    expect((await receivedUntilBarrier()).map((f) => f.cid)).toEqual([a.cid, b.cid, c.cid]);
  });

  it('refuses a body naming another member with 403 and stores nothing under either', async () => {
    const own = fix();
    for (const body of [fix({ uid: 43 }), [own, fix({ uid: '43' })], { fixes: [fix({ uid: `0${UID}` })] }]) {
      expect(await post(relay.httpUrl, body)).toMatchObject({
        status: 403,
        body: { error: { code: 'forbidden' } },
      });
    }
    expect(await receivedUntilBarrier()).toEqual([]);
    expect(station.all('fix').filter((m) => m.fix.uid === '43')).toEqual([]);
  });

  it.each<[string, number, string, () => Promise<Record<string, string>>]>([
    ['no Authorization header', 401, 'token_missing', async () => ({ authorization: '' })],
    ['a token that is not a JWT', 401, 'token_malformed', async () => ({ authorization: 'Bearer abc' })],
    ['another scheme', 401, 'token_malformed', async () => ({ authorization: `Basic ${btoa('a:b')}` })],
    [
      'a token signed with another secret',
      401,
      'token_bad_signature',
      async () => ({
        authorization: `Bearer ${await memberToken(UID, 3600, 'another-secret-0123456789abcdef')}`,
      }),
    ],
    [
      'an expired token',
      401,
      'token_expired',
      async () => {
        vi.useFakeTimers({ toFake: ['Date'] });
        vi.setSystemTime(Date.now() - 2 * 3600_000);
        const expired = await signMemberToken(TEST_SECRET, { uid: UID, ttlSeconds: 60 });
        vi.useRealTimers();
        return { authorization: `Bearer ${expired}` };
      },
    ],
    [
      'an operator token',
      403,
      'token_wrong_role',
      async () => ({ authorization: `Bearer ${await operatorToken('*')}` }),
    ],
  ])('refuses %s with %i %s and stores nothing', async (_name, status, code, headers) => {
    const answer = await post(relay.httpUrl, fix(), await headers());
    expect(answer).toMatchObject({ status, body: { error: { code } } });
    expect(await receivedUntilBarrier()).toEqual([]);
  });

  it.each<[string, number, string, string, Record<string, string>]>([
    ['malformed JSON', 400, 'not_json', '{"longitude": 113.3,', {}],
    ['a JSON string', 400, 'bad_body', '"hello"', {}],
    ['an empty batch', 400, 'bad_body', '{"fixes": []}', {}],
    [
      'a form body',
      415,
      'bad_content_type',
      'longitude=113.3&latitude=23.1',
      { 'content-type': 'application/x-www-form-urlencoded' },
    ],
    [
      'a body over the size limit',
      413,
      'too_large',
      JSON.stringify({ fixes: [fix({ pad: 'x'.repeat(INGEST_MAX_BODY_BYTES) })] }),
      {},
    ],
    [
      'a batch over the length limit',
      413,
      'batch_too_long',
      JSON.stringify(Array.from({ length: INGEST_MAX_BATCH + 1 }, () => ({ longitude: 1, latitude: 1 }))),
      {},
    ],
  ])('refuses %s with %i %s', async (_name, status, code, body, headers) => {
    const answer = await post(relay.httpUrl, body, headers);
    expect(answer).toMatchObject({ status, body: { error: { code } } });
    expect(await receivedUntilBarrier()).toEqual([]);
  });

  it('refuses an oversized body sent without Content-Length (chunked) while streaming', async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${relay.httpUrl}/api/location/move`,
        { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      for (let i = 0; i < 8; i++) req.write(chunk);
      req.end();
    });
    expect(answer).toBe(413);
  });

  it('answers GET with 405', async () => {
    expect(await post(relay.httpUrl, '', {}, 'GET')).toMatchObject({
      status: 405,
      body: { error: { code: 'method_not_allowed' } },
    });
  });

  it('counts requests and fixes in the relay registry', async () => {
    const text = await relay.registry.metrics();
    expect(text).toMatch(/lodestar_relay_ingest_requests_total\{code="ok"\} [1-9]/);
    expect(text).toMatch(/lodestar_relay_ingest_requests_total\{code="forbidden"\} 3/);
    expect(text).toMatch(/lodestar_relay_ingest_fixes_total\{outcome="refused",reason="bad_coordinates"\} 1/);
    expect(text).toMatch(/lodestar_relay_ingest_fixes_total\{outcome="duplicate",reason="none"\} 4/);
  });
});

describe('ingest limits on a bare handler', () => {
  let limitedRedis: PrivateRedis;
  let client: Redis;
  let subscriber: Redis;
  let server: Server;
  let baseUrl: string;
  const published: string[] = [];

  beforeAll(async () => {
    limitedRedis = await startPrivateRedis();
    client = new Redis(limitedRedis.url, { maxRetriesPerRequest: 1 });
    subscriber = new Redis(limitedRedis.url);
    // The last test stops this Redis on purpose; the reconnect errors are expected.
    client.on('error', () => undefined);
    subscriber.on('error', () => undefined);
    await subscriber.subscribe('location_update');
    subscriber.on('message', (_channel, message: string) => published.push(message));
    server = createServer(
      createIngestHandler({
        redis: client,
        secret: TEST_SECRET,
        channel: 'location_update',
        keyPrefix: 'limits:',
        registry: new Registry(),
        logger: pino({ level: 'silent' }),
        rateLimit: { burst: 3, perSecond: 0.5 },
        redisTimeoutMs: 500,
      }),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    server?.close();
    subscriber?.disconnect();
    client?.disconnect();
    await limitedRedis?.stop();
  });

  it('limits each member: 429 with Retry-After past the burst, other members unaffected', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await post(baseUrl, fix()));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    const limited = answers[3] as Answer;
    expect(limited.body.error?.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(2);
    const other = await post(baseUrl, fix(), { authorization: `Bearer ${await memberToken('43')}` });
    expect(other.status).toBe(200);
    await vi.waitFor(() => expect(published).toHaveLength(4));
  });

  it('shares the limit between instances: a second handler on the same Redis sees the spent bucket', async () => {
    const second = createServer(
      createIngestHandler({
        redis: client,
        secret: TEST_SECRET,
        channel: 'location_update',
        keyPrefix: 'limits:',
        registry: new Registry(),
        logger: pino({ level: 'silent' }),
        rateLimit: { burst: 3, perSecond: 0.5 },
      }),
    );
    for (let i = 0; i < 3; i++) expect((await post(baseUrl, fix())).status).toBe(200);
    second.listen(0, '127.0.0.1');
    await once(second, 'listening');
    const address = second.address();
    const answer = await post(
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      fix(),
    );
    second.close();
    expect(answer.status).toBe(429);
  });

  it('answers 503 unavailable when Redis is down, and works again when it is back', async () => {
    const memberToken44 = await memberToken('44');
    await limitedRedis.stop();
    const down = await post(baseUrl, fix(), { authorization: `Bearer ${memberToken44}` });
    expect(down).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    await limitedRedis.start();
    await vi.waitFor(() => expect(client.status).toBe('ready'), { timeout: 10_000 });
    const up = await post(baseUrl, fix(), { authorization: `Bearer ${memberToken44}` });
    expect(up.status).toBe(200);
  });
});
