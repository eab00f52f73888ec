import { describe, expect, it } from 'vitest';
import { tokenFromText } from './token-text.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoib3BlcmF0b3IifQ.c2ln-_x';

describe('tokenFromText', () => {
  it.each<[string, string, string | RegExp]>([
    ['a token and a newline', `${JWT}\n`, JWT],
    ['surrounding blanks and CRLF', `\r\n  ${JWT}  \r\n\r\n`, JWT],
    [
      "npm's banner before the token",
      `\n> lodestar@0.1.0 token\n> tsx relay/cli/token.ts operator --id a --members *\n\n${JWT}\n`,
      /the token file holds more than one JWT line \(3 lines, 1 of them JWT-shaped\)/,
    ],
    ['two tokens', `${JWT}\n${JWT}\n`, /holds more than one JWT line \(2 lines, 2 of them/],
    ['empty', ' \n\n', /the token file is empty/],
    ['not a JWT', 'hello world', /does not hold a JWT/],
    ['a JWT with a space inside', `${JWT.slice(0, 10)} ${JWT.slice(10)}`, /does not hold a JWT/],
  ])('%s', (_name, text, expected) => {
    const result = tokenFromText(text);
    if (typeof expected === 'string') expect(result).toEqual({ ok: true, token: expected });
    else expect(result.ok ? result.token : result.message).toMatch(expected);
  });
});
