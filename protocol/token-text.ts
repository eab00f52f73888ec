/**
 * A token as read from a file or a pasted value: what `--token-file`, `npm run watch` and the browser host accept.
 * `npm run token … > file` used to put npm's banner lines in the file, and the newline that then reached the
 * `Authorization` header made the websocket library refuse the URL (the station said `bad_relay_url` and never
 * retried). So the text is trimmed and must be exactly one JWT line; anything else is refused with a sentence.
 * Pure and import-free, so the relay's tools and the station hosts share it.
 */

/** Three base64url parts separated by dots (header.claims.signature). */
const JWT_LINE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export type TokenText = { ok: true; token: string } | { ok: false; message: string };

/** `source` names where the text came from, for the message: "the token file", "LODESTAR_TOKEN", … */
export function tokenFromText(text: string, source = 'the token file'): TokenText {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (lines.length === 0) return { ok: false, message: `${source} is empty` };
  if (lines.length > 1) {
    const jwts = lines.filter((line) => JWT_LINE.test(line)).length;
    return {
      ok: false,
      message:
        `${source} holds more than one JWT line (${lines.length} lines, ${jwts} of them JWT-shaped): it must hold ` +
        'the token alone; mint it with `npm run -s token -- … > FILE` or `npm run token -- … --out FILE` ' +
        '(without -s, npm prints its banner into the file)',
    };
  }
  const token = lines[0] as string;
  if (!JWT_LINE.test(token)) {
    return {
      ok: false,
      message: `${source} does not hold a JWT (three base64url parts separated by dots): "${token.slice(0, 24)}${token.length > 24 ? '…' : ''}"`,
    };
  }
  return { ok: true, token };
}
