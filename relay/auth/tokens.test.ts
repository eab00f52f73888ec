import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { signMemberToken, signOperatorToken, verifyToken } from './tokens.js';

const SECRET = 'test-secret-0123456789';
const key = new TextEncoder().encode(SECRET);

async function rawToken(claims: Record<string, unknown>, alg = 'HS256', secret = key): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg }).sign(secret);
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('signOperatorToken / verifyToken', () => {
  it('round-trips an operator token with a member list', async () => {
    const token = await signOperatorToken(SECRET, { sub: 'alice', members: ['42', '43'], ttlSeconds: 60 });
    const r = await verifyToken(SECRET, token, 'operator');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.claims.sub).toBe('alice');
      expect(r.claims.members).toEqual(['42', '43']);
      expect(r.claims.exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(55);
    }
  });

  it('round-trips "*" and member tokens', async () => {
    const op = await verifyToken(
      SECRET,
      await signOperatorToken(SECRET, { sub: 'b', members: '*', ttlSeconds: 5 }),
      'operator',
    );
    expect(op.ok && op.claims.members).toBe('*');
    const m = await verifyToken(
      SECRET,
      await signMemberToken(SECRET, { uid: '42', ttlSeconds: 5 }),
      'member',
    );
    expect(m.ok && m.claims.uid).toBe('42');
  });

  it('refuses a non-positive ttl and bad member ids at signing', async () => {
    await expect(signOperatorToken(SECRET, { sub: 'a', members: '*', ttlSeconds: 0 })).rejects.toThrow(
      TypeError,
    );
    await expect(signOperatorToken(SECRET, { sub: 'a', members: ['a b'], ttlSeconds: 5 })).rejects.toThrow();
  });
});

describe('verifyToken refuses every bad token with a stable code', () => {
  const cases: [string, () => Promise<string>, 'operator' | 'member', string][] = [
    ['empty', async () => '', 'operator', 'token_missing'],
    ['not a JWT', async () => 'hello', 'operator', 'token_malformed'],
    ['three garbage parts', async () => 'a.b.c', 'operator', 'token_malformed'],
    [
      'another secret',
      () => signOperatorToken('other-secret-0123456789', { sub: 'a', members: '*', ttlSeconds: 60 }),
      'operator',
      'token_bad_signature',
    ],
    [
      'expired',
      () => rawToken({ role: 'operator', sub: 'a', members: '*', exp: Math.floor(Date.now() / 1000) - 60 }),
      'operator',
      'token_expired',
    ],
    ['no exp', () => rawToken({ role: 'operator', sub: 'a', members: '*' }), 'operator', 'token_malformed'],
    [
      'HS512',
      () => rawToken({ role: 'operator', sub: 'a', members: '*', exp: inAnHour() }, 'HS512'),
      'operator',
      'token_bad_signature',
    ],
    [
      'member token as operator',
      () => signMemberToken(SECRET, { uid: '1', ttlSeconds: 60 }),
      'operator',
      'token_wrong_role',
    ],
    [
      'operator token as member',
      () => signOperatorToken(SECRET, { sub: 'a', members: '*', ttlSeconds: 60 }),
      'member',
      'token_wrong_role',
    ],
    ['no role', () => rawToken({ sub: 'a', members: '*', exp: inAnHour() }), 'operator', 'token_wrong_role'],
    [
      'members not a list',
      () => rawToken({ role: 'operator', sub: 'a', members: 'all', exp: inAnHour() }),
      'operator',
      'token_malformed',
    ],
    [
      'no sub',
      () => rawToken({ role: 'operator', members: '*', exp: inAnHour() }),
      'operator',
      'token_malformed',
    ],
  ];
  it.each(cases)('%s', async (_name, make, role, code) => {
    const r = await verifyToken(SECRET, await make(), role as 'operator');
    expect(r).toMatchObject({ ok: false, code });
  });
});
