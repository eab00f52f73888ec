/**
 * Sign and verify Lodestar tokens: HS256 JWTs with the relay's `RELAY_SECRET`, claims per protocol/token.ts.
 *
 * Verification never throws: every way a token can be wrong maps to one stable `AuthErrorCode`, which the relay
 * sends in its 401 body and counts.
 */
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import type { AuthErrorCode } from '../../protocol/codes.js';
import {
  type MemberClaims,
  type MemberScope,
  type OperatorClaims,
  memberClaimsSchema,
  operatorClaimsSchema,
} from '../../protocol/token.js';

export type TokenRole = 'operator' | 'member';

export type VerifyResult<C> = { ok: true; claims: C } | { ok: false; code: AuthErrorCode; message: string };

const ALG = 'HS256';
/** Leeway for clocks of the token minter and the relay that disagree a little. */
const CLOCK_TOLERANCE_S = 5;

const encoder = new TextEncoder();
const keyCache = new Map<string, Uint8Array>();

function keyOf(secret: string): Uint8Array {
  let key = keyCache.get(secret);
  if (!key) {
    key = encoder.encode(secret);
    keyCache.set(secret, key);
  }
  return key;
}

export interface OperatorTokenInput {
  /** Operator id. */
  sub: string;
  members: MemberScope;
  ttlSeconds: number;
}

export interface MemberTokenInput {
  uid: string;
  ttlSeconds: number;
}

function assertTtl(ttlSeconds: number): void {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new TypeError(`ttlSeconds must be a positive number, got ${ttlSeconds}`);
  }
}

/** Validate the claims against the shared schema, then sign them: the relay never mints what it would refuse. */
function signClaims(secret: string, payload: Record<string, unknown>, sub: string, exp: number, now: number) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .sign(keyOf(secret));
}

export async function signOperatorToken(secret: string, input: OperatorTokenInput): Promise<string> {
  assertTtl(input.ttlSeconds);
  const now = Math.floor(Date.now() / 1000);
  const claims = operatorClaimsSchema.parse({
    role: 'operator',
    sub: input.sub,
    members: input.members === '*' ? '*' : [...input.members],
    iat: now,
    exp: now + Math.ceil(input.ttlSeconds),
  });
  return signClaims(secret, { role: claims.role, members: claims.members }, claims.sub, claims.exp, now);
}

export async function signMemberToken(secret: string, input: MemberTokenInput): Promise<string> {
  assertTtl(input.ttlSeconds);
  const now = Math.floor(Date.now() / 1000);
  const claims = memberClaimsSchema.parse({
    role: 'member',
    uid: input.uid,
    sub: input.uid,
    iat: now,
    exp: now + Math.ceil(input.ttlSeconds),
  });
  return signClaims(secret, { role: claims.role, uid: claims.uid }, claims.uid, claims.exp, now);
}

/** Map a jose failure to our stable code. Signature errors say "bad signature"; shape errors "malformed". */
export function authCodeOfJoseError(error: unknown): AuthErrorCode {
  if (error instanceof joseErrors.JWTExpired) return 'token_expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'token_bad_signature';
  // A token signed with another algorithm (e.g. "none" or RS256) is treated as a bad signature, not malformed:
  // it is well-formed, just not ours.
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'token_bad_signature';
  return 'token_malformed';
}

const MAX_TOKEN_LENGTH = 16_384;

export async function verifyToken(
  secret: string,
  token: string,
  role: 'operator',
): Promise<VerifyResult<OperatorClaims>>;
export async function verifyToken(
  secret: string,
  token: string,
  role: 'member',
): Promise<VerifyResult<MemberClaims>>;
export async function verifyToken(
  secret: string,
  token: string,
  role: TokenRole,
): Promise<VerifyResult<OperatorClaims | MemberClaims>> {
  if (!token) return { ok: false, code: 'token_missing', message: 'no token was given' };
  if (token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) {
    return { ok: false, code: 'token_malformed', message: 'the token is not a JWT' };
  }
  let payload: Record<string, unknown>;
  try {
    const verified = await jwtVerify(token, keyOf(secret), {
      algorithms: [ALG],
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp'],
    });
    payload = verified.payload as Record<string, unknown>;
  } catch (error) {
    const code = authCodeOfJoseError(error);
    const message =
      code === 'token_expired'
        ? 'the token has expired'
        : code === 'token_bad_signature'
          ? 'the token signature does not verify with this relay secret'
          : 'the token is malformed';
    return { ok: false, code, message };
  }
  if (payload.role !== role) {
    return {
      ok: false,
      code: 'token_wrong_role',
      message: `a ${role} token is required, got ${typeof payload.role === 'string' ? payload.role.slice(0, 16) : 'none'}`,
    };
  }
  const schema = role === 'operator' ? operatorClaimsSchema : memberClaimsSchema;
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    return {
      ok: false,
      code: 'token_malformed',
      message: 'the token claims do not match the Lodestar schema',
    };
  }
  return { ok: true, claims: parsed.data };
}

/** Expiry of verified claims in ms since 1970. */
export function expiresAtMs(claims: { exp: number }): number {
  return claims.exp * 1000;
}
