/**
 * Who is posting: the member named by the `Authorization: Bearer` token, verified by the relay's own token code
 * (relay/auth/). Only the header counts here: unlike a browser's websocket, wx.request can set headers, and a
 * token in a URL ends up in access logs.
 */
import type { AuthErrorCode } from '../../protocol/codes.js';
import { tokenFromRequest } from '../auth/request-token.js';
import { verifyToken } from '../auth/tokens.js';

export type MemberAuth =
  { ok: true; uid: string } | { ok: false; status: 401 | 403; code: AuthErrorCode; message: string };

/** Verifies a bearer token as a member token. */
export type MemberVerifier = (token: string) => Promise<MemberAuth>;

export async function authenticateMember(
  header: string | undefined,
  verify: MemberVerifier,
): Promise<MemberAuth> {
  const token = tokenFromRequest(header, undefined);
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

/** A valid token of another role is a 403 (who you are is known, you may not do this); anything else a 401. */
export function defaultMemberVerifier(secret: string, maxTtlSeconds?: number): MemberVerifier {
  return async (token) => {
    const result = await verifyToken(
      secret,
      token,
      'member',
      maxTtlSeconds === undefined ? {} : { maxTtlSeconds },
    );
    if (result.ok) return { ok: true, uid: result.claims.uid };
    return {
      ok: false,
      status: result.code === 'token_wrong_role' ? 403 : 401,
      code: result.code,
      message: result.message,
    };
  };
}
