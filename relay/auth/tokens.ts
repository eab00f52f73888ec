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
/** RELAY_TOKEN_MAX_TTL's default: tokens whose exp is further ahead are refused. */
export const DEFAULT_TOKEN_MAX_TTL_SECONDS = 30 * 24 * 3600;

export interface VerifyOptions {
  /** Refuse tokens whose `exp` is more than this far ahead (default 30 days): `exp` in ms is a common PHP slip. */
  maxTtlSeconds?: number;
  /** Seconds since 1970 (tests). */
  now?: number;
}

/** Why jose refused a token, naming the claim (or the part) that failed. */
function joseRefusal(error: unknown, code: AuthErrorCode): string {
  if (code === 'token_expired') return 'the exp claim is in the past: the token has expired';
  if (code === 'token_bad_signature')
    return 'the signature (alg HS256 with this relay secret) does not verify';
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `the ${error.claim} claim is invalid: ${error.reason === 'missing' ? 'missing' : error.message}`;
  return 'the token is not a JWT with a JSON header and claims';
}

/** The first claim the schema refused, by name: "the members claim: ...". */
function schemaRefusal(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const issue = issues[0];
  const claim = issue === undefined ? '' : String(issue.path[0] ?? '');
  const where = issue && issue.path.length > 1 ? ` (${issue.path.slice(1).join('.')})` : '';
  return claim
    ? `the ${claim} claim${where} is invalid: ${issue?.message ?? ''}`
    : 'the token claims are not an object';
}

export async function verifyToken(
  secret: string,
  token: string,
  role: 'operator',
  options?: VerifyOptions,
): Promise<VerifyResult<OperatorClaims>>;
export async function verifyToken(
  secret: string,
  token: string,
  role: 'member',
  options?: VerifyOptions,
): Promise<VerifyResult<MemberClaims>>;
export async function verifyToken(
  secret: string,
  token: string,
  role: TokenRole,
  options: VerifyOptions = {},
): Promise<VerifyResult<OperatorClaims | MemberClaims>> {
  if (!token) return { ok: false, code: 'token_missing', message: 'no token was given' };
  if (token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) {
    return {
      ok: false,
      code: 'token_malformed',
      message: 'the token is not a JWT (three dot-separated parts)',
    };
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  let payload: Record<string, unknown>;
  try {
    const verified = await jwtVerify(token, keyOf(secret), {
      algorithms: [ALG],
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp'],
      currentDate: new Date(now * 1000),
    });
    payload = verified.payload as Record<string, unknown>;
  } catch (error) {
    const code = authCodeOfJoseError(error);
    return { ok: false, code, message: joseRefusal(error, code) };
  }
  if (payload.role !== role) {
    return {
      ok: false,
      code: 'token_wrong_role',
      message: `the role claim must be ${role}, got ${typeof payload.role === 'string' ? payload.role.slice(0, 16) : 'none'}`,
    };
  }
  const schema = role === 'operator' ? operatorClaimsSchema : memberClaimsSchema;
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    return { ok: false, code: 'token_malformed', message: schemaRefusal(parsed.error.issues) };
  }
  const maxTtl = options.maxTtlSeconds ?? DEFAULT_TOKEN_MAX_TTL_SECONDS;
  if (parsed.data.exp - now > maxTtl) {
    const days = Math.round(maxTtl / 86_400);
    const hint = parsed.data.exp > 1e11 ? ' (exp looks like milliseconds: JWT exp is in seconds)' : '';
    return {
      ok: false,
      code: 'token_malformed',
      message: `the exp claim is more than ${maxTtl} s (${days} days) ahead${hint}`,
    };
  }
  return { ok: true, claims: parsed.data };
}

/** Expiry of verified claims in ms since 1970. */
export function expiresAtMs(claims: { exp: number }): number {
  return claims.exp * 1000;
}
