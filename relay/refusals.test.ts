/**
 * Refusals a station or a PHP token minter can act on, against a real relay and a real private Redis: tokens whose
 * `exp` is too far ahead (the milliseconds slip) are refused naming the claim, every 401 names what failed,
 * integer member ids are their decimal strings, a watch with some invalid uids watches the valid ones, and every
 * `error` answering a request carries the request's `id`.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from './app.js';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import { TEST_SECRET, connectStation, refusedUpgrade, startTestRelay } from '../test/support/relay.js';

let redis: PrivateRedis;
let relay: RunningRelay;

beforeAll(async () => {
  redis = await startPrivateRedis();
  relay = await startTestRelay({ redisUrl: redis.url, controlBurst: 8, controlRate: 1 });
});
afterAll(async () => {
  await relay.close({ drainMs: 0 });
  await redis.stop();
});

const key = new TextEncoder().encode(TEST_SECRET);
const nowS = () => Math.floor(Date.now() / 1000);
const sign = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);
const bearer = async (claims: Record<string, unknown>) => ({
  authorization: `Bearer ${await sign(claims)}`,
});

describe('tokens', () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    [
      'exp in milliseconds',
      { role: 'operator', sub: 'a', members: '*', exp: Date.now() + 3_600_000 },
      'token_malformed',
      /exp claim .*milliseconds/,
    ],
    [
      'exp 31 days ahead',
      { role: 'operator', sub: 'a', members: '*', exp: nowS() + 31 * 86_400 },
      'token_malformed',
      /exp claim is more than 2592000 s/,
    ],
    ['expired', { role: 'operator', sub: 'a', members: '*', exp: nowS() - 60 }, 'token_expired', /exp claim/],
    ['no exp', { role: 'operator', sub: 'a', members: '*' }, 'token_malformed', /exp claim/],
    ['member role', { role: 'member', uid: '1', exp: nowS() + 60 }, 'token_wrong_role', /role claim/],
    [
      'bad members',
      { role: 'operator', sub: 'a', members: ['a b'], exp: nowS() + 60 },
      'token_malformed',
      /members claim/,
    ],
    ['no sub', { role: 'operator', members: '*', exp: nowS() + 60 }, 'token_malformed', /sub claim/],
  ])('%s: 401 %s naming the claim', async (_name, claims, code, message) => {
    const refused = await refusedUpgrade(relay.wsUrl, await bearer(claims));
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: { code, message: expect.stringMatching(message) } });
  });

  it('names the signature when the secret differs', async () => {
    const other = await new SignJWT({ role: 'operator', sub: 'a', members: '*', exp: nowS() + 60 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('another-secret-0123456789'));
    const refused = await refusedUpgrade(relay.wsUrl, { authorization: `Bearer ${other}` });
    expect(refused.body).toMatchObject({
      error: { code: 'token_bad_signature', message: expect.stringMatching(/signature/) },
    });
  });

  it('refuses a member token with exp in milliseconds at the ingest, naming the claim', async () => {
    const token = await sign({ role: 'member', uid: '42', exp: Date.now() + 3_600_000 });
    const response = await fetch(`${relay.httpUrl}/api/location/move`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fixes: [{ lat: 23.1, lon: 113.3, ts: Date.now(), crs: 'gcj02', cid: 'c1' }] }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: { code: 'token_malformed', message: expect.stringMatching(/exp claim/) },
    });
  });

  it('takes integer member ids in the members claim as their decimal strings', async () => {
    const token = await sign({ role: 'operator', sub: 'php', members: [42, 43], exp: nowS() + 600 });
    const station = await connectStation(relay.wsUrl, token);
    expect(station.received[0]).toMatchObject({ type: 'welcome', members: ['42', '43'] });
    station.send({ type: 'watch', id: 'w', members: [{ uid: 42 }, { uid: '44' }] });
    expect(await station.next('watched', (m) => m.uid === '42')).toMatchObject({ id: 'w' });
    expect(await station.next('error')).toMatchObject({ code: 'forbidden', uid: '44', id: 'w' });
    await station.close();
  });
});

describe('requests with errors', () => {
  it('watches the valid members of a watch and answers one error per invalid uid, with the id', async () => {
    const station = await connectStation(
      relay.wsUrl,
      await sign({ role: 'operator', sub: 'b', members: '*', exp: nowS() + 600 }),
    );
    station.send({
      type: 'watch',
      id: 'w1',
      members: [{ uid: 'ok-1' }, { uid: 'has space' }, { uid: 'ok-2' }, { uid: 'x'.repeat(65) }],
    });
    await station.next('watched', (m) => m.uid === 'ok-1' && m.id === 'w1');
    await station.next('watched', (m) => m.uid === 'ok-2' && m.id === 'w1');
    await expect.poll(() => station.all('error').length).toBe(2);
    expect(station.all('error').map((e) => [e.code, e.id, e.uid])).toEqual([
      ['bad_field', 'w1', 'has space'],
      ['bad_field', 'w1', 'x'.repeat(64)],
    ]);
    await station.close();
  });

  it('carries the id on bad_field, unknown_type, bad_message and rate_limited', async () => {
    const station = await connectStation(
      relay.wsUrl,
      await sign({ role: 'operator', sub: 'c', members: '*', exp: nowS() + 600 }),
    );
    station.send({ type: 'history', id: 'h', uid: '1', from: 'yesterday', to: 1 });
    station.send({ type: 'subscribe', id: 's' });
    station.send({ type: 7, id: 't' });
    expect(await station.next('error', (m) => m.code === 'bad_field')).toMatchObject({ id: 'h' });
    expect(await station.next('error', (m) => m.code === 'unknown_type')).toMatchObject({ id: 's' });
    expect(await station.next('error', (m) => m.code === 'bad_message')).toMatchObject({ id: 't' });
    // Past the burst (8): refused, still with the request's id.
    for (let i = 0; i < 8; i++) station.send({ type: 'ping', id: `p${i}` });
    const limited = await station.next('error', (m) => m.code === 'rate_limited');
    expect(limited.id).toMatch(/^p\d$/);
    await station.close();
  });
});
