/**
 * Who is posting: the member named by the `Authorization: Bearer` token. Verification itself is the relay's
 * (relay/auth/tokens.ts); this file only maps the header and the verdict onto ingest's answers.
 */
import type { AuthErrorCode } from '../../protocol/codes.js';

export type MemberAuth =
  { ok: true; uid: string } | { ok: false; status: 401 | 403; code: AuthErrorCode; message: string };

/** Verifies a bearer token as a member token. */
export type MemberVerifier = (token: string) => Promise<MemberAuth>;

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export async function authenticateMember(
  header: string | undefined,
  verify: MemberVerifier,
): Promise<MemberAuth> {
  const token = bearerToken(header);
  if (token === undefined) {
    return {
      ok: false,
      status: 401,
      code: 'token_missing',
      message: 'send Authorization: Bearer <member token>',
    };
  }
  return verify(token);
}

/** Placeholder until relay/auth/tokens.ts lands: refuses every token. */
export function defaultMemberVerifier(_secret: string): MemberVerifier {
  return () =>
    Promise.resolve({
      ok: false,
      status: 401,
      code: 'token_malformed',
      message: 'token verification unavailable',
    });
}
