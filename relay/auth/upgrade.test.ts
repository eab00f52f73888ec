import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../app.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import {
  TEST_SECRET,
  connectStation,
  memberToken,
  operatorToken,
  refusedUpgrade,
  startTestRelay,
} from '../../test/support/relay.js';

let redis: PrivateRedis;
let relay: RunningRelay;

beforeAll(async () => {
  redis = await startPrivateRedis();
  relay = await startTestRelay({ redisUrl: redis.url, tokenExpiringLeadMs: 1500 });
});
afterAll(async () => {
  await relay.close({ drainMs: 0 });
  await redis.stop();
});

const key = new TextEncoder().encode(TEST_SECRET);
const nowS = () => Math.floor(Date.now() / 1000);

describe('the upgrade refuses bad tokens with 401 and a stable code', () => {
  const cases: [string, () => Promise<Record<string, string> | string>, string][] = [
    ['no token', async () => ({}), 'token_missing'],
    ['garbage', async () => ({ authorization: 'Bearer not-a-jwt' }), 'token_malformed'],
    ['not a bearer header', async () => ({ authorization: 'Basic dXNlcjpwYXNz' }), 'token_malformed'],
    [
      'another secret',
      async () => ({
        authorization: `Bearer ${await operatorToken('*', 60, 'op', 'another-secret-0123456789')}`,
      }),
      'token_bad_signature',
    ],
    [
      'expired',
      async () => ({
        authorization: `Bearer ${await new SignJWT({
          role: 'operator',
          sub: 'a',
          members: '*',
          exp: nowS() - 60,
        })
          .setProtectedHeader({ alg: 'HS256' })
          .sign(key)}`,
      }),
      'token_expired',
    ],
    [
      'member token',
      async () => ({ authorization: `Bearer ${await memberToken('42')}` }),
      'token_wrong_role',
    ],
    ['bad token in the query', async () => '?token=a.b.c', 'token_malformed'],
  ];
  it.each(cases)('%s', async (_name, make, code) => {
    const given = await make();
    const url = typeof given === 'string' ? `${relay.wsUrl}/${given}` : relay.wsUrl;
    const refused = await refusedUpgrade(url, typeof given === 'string' ? {} : given);
    expect(refused).toEqual({ status: 401, body: { error: { code, message: expect.any(String) } } });
  });

  it('counts refusals by code', async () => {
    const text = await (await fetch(`${relay.httpUrl}/metrics`)).text();
    expect(text).toMatch(/lodestar_relay_auth_failures_total\{code="token_missing"\} [1-9]/);
  });

  it('upgrades only at the root path', async () => {
    const token = await operatorToken('*');
    expect((await refusedUpgrade(`${relay.wsUrl}/other`, { authorization: `Bearer ${token}` })).status).toBe(
      404,
    );
  });
});

describe('accepted tokens', () => {
  it('works with the header and with the query parameter, and welcomes with the claims', async () => {
    const token = await operatorToken(['1', '2'], 600, 'alice');
    for (const via of ['header', 'query'] as const) {
      const s = await connectStation(relay.wsUrl, token, via);
      expect(s.received[0]).toMatchObject({
        type: 'welcome',
        operator: 'alice',
        members: ['1', '2'],
        positioning: true,
        limits: { windowMs: 24 * 3600 * 1000, replayMax: 10_000, historyPageMax: 1000 },
        degraded: false,
        heartbeatMs: expect.any(Number),
      });
      await s.close();
    }
  });
});

describe('token expiry mid-connection', () => {
  it('warns, then closes with 4001 when not refreshed', async () => {
    const s = await connectStation(relay.wsUrl, await operatorToken('*', 2));
    const warned = await s.next('token_expiring', undefined, 4000);
    expect(warned.expiresAt).toBeGreaterThan(Date.now());
    expect((await s.closed).code).toBe(4001);
  });

  it('keeps the connection open after an auth refresh with a token of the same operator', async () => {
    const s = await connectStation(relay.wsUrl, await operatorToken('*', 2, 'bob'));
    await s.next('token_expiring', undefined, 4000);
    s.send({ type: 'auth', id: 'r', token: await operatorToken(['7'], 600, 'bob') });
    const ok = await s.next('auth_ok');
    expect(ok).toMatchObject({ id: 'r', operator: 'bob', members: ['7'] });
    await new Promise((r) => setTimeout(r, 2500));
    expect(s.ws.readyState).toBe(s.ws.OPEN);
    await s.close();
  });

  it('refuses a refresh naming another operator or a bad token, without closing', async () => {
    const s = await connectStation(relay.wsUrl, await operatorToken('*', 600, 'carol'));
    s.send({ type: 'auth', id: 'a1', token: await operatorToken('*', 600, 'mallory') });
    expect(await s.next('error', (m) => m.id === 'a1')).toMatchObject({ code: 'bad_token' });
    s.send({ type: 'auth', id: 'a2', token: 'x.y.z' });
    expect(await s.next('error', (m) => m.id === 'a2')).toMatchObject({ code: 'bad_token' });
    expect(s.ws.readyState).toBe(s.ws.OPEN);
    await s.close();
  });

  it('a narrower refreshed token stops members it no longer allows', async () => {
    const s = await connectStation(relay.wsUrl, await operatorToken('*', 600, 'dan'));
    s.send({ type: 'watch', members: [{ uid: '1' }, { uid: '2' }] });
    await s.next('watched', (m) => m.uid === '2');
    s.send({ type: 'auth', token: await operatorToken(['1'], 600, 'dan') });
    expect(await s.next('error')).toMatchObject({ code: 'forbidden', uid: '2' });
    await s.next('auth_ok');
    expect(relay.stats().watches).toBe(1);
    await s.close();
  });
});
