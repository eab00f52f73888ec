/**
 * Claims carried by Lodestar tokens: JWTs signed HS256 with the relay's `RELAY_SECRET`.
 * Signing and verification live on the relay (relay/auth/); this file is the shared shape, so the station and
 * the PHP docs agree with the relay about it.
 */
import { z } from 'zod';
import { UID_PATTERN } from './fix.js';

export const ALL_MEMBERS = '*' as const;

export const operatorClaimsSchema = z.object({
  role: z.literal('operator'),
  /** Operator id. */
  sub: z.string().min(1).max(128),
  /**
   * The members this operator may watch: a list of uids, or "*" for all. Integer ids are taken as their decimal
   * strings (PHP's json_encode of an int array), as in fixes.
   */
  members: z.union([
    z.literal(ALL_MEMBERS),
    z
      .array(
        z.union([
          z.string().regex(UID_PATTERN),
          z
            .number()
            .int()
            .nonnegative()
            .max(Number.MAX_SAFE_INTEGER)
            .transform((n) => String(n)),
        ]),
      )
      .max(10_000),
  ]),
  /** Expiry, seconds since 1970 (JWT NumericDate). Required: a token without one is refused. */
  exp: z.number().int(),
  iat: z.number().int().optional(),
});
export type OperatorClaims = z.infer<typeof operatorClaimsSchema>;

export const memberClaimsSchema = z.object({
  role: z.literal('member'),
  /** The member's uid; ingest stores fixes only under it. */
  uid: z.string().regex(UID_PATTERN),
  sub: z.string().min(1).max(128).optional(),
  exp: z.number().int(),
  iat: z.number().int().optional(),
});
export type MemberClaims = z.infer<typeof memberClaimsSchema>;

export type MemberScope = typeof ALL_MEMBERS | readonly string[];

/** Whether a token's member scope lets its holder see `uid`. */
export function scopeAllows(scope: MemberScope, uid: string): boolean {
  return scope === ALL_MEMBERS || scope.includes(uid);
}

/**
 * Read a JWT's claims without verifying it: for the station, which must know when its token expires to
 * refresh it in time, but has no secret. Never use this to decide access.
 */
export function decodeClaimsUnverified(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const json =
      typeof atob === 'function'
        ? decodeURIComponent(
            Array.from(atob(b64), (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''),
          )
        : Buffer.from(b64, 'base64').toString('utf8');
    const claims: unknown = JSON.parse(json);
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
