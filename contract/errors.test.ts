import { describe, expect, it } from 'vitest';
import { bridgeSafeError, errorCodeOf, errorMessageOf, StationError } from './errors.js';

describe('errorCodeOf', () => {
  it.each([
    [new StationError('forbidden_member', 'no'), 'forbidden_member'],
    [bridgeSafeError('not_watched', 'x'), 'not_watched'],
    // What the renderer sees after Electron's context bridge dropped every field but the message.
    [new Error('[watch_refused] the relay refused 42'), 'watch_refused'],
    [Object.assign(new Error('disk'), { code: 'SQLITE_FULL' }), 'SQLITE_FULL'],
    [Object.assign(new Error('x'), { code: 'has space' }), 'internal'],
    [new Error('plain'), 'internal'],
    ['a string', 'internal'],
    [undefined, 'internal'],
  ])('%s → %s', (error, code) => {
    expect(errorCodeOf(error)).toBe(code);
  });
});

describe('errorMessageOf', () => {
  it.each([
    [bridgeSafeError('not_watched', 'member 42 is not watched'), 'member 42 is not watched'],
    [new Error('plain'), 'plain'],
    ['text', 'text'],
  ])('%s → %s', (error, message) => {
    expect(errorMessageOf(error)).toBe(message);
  });
});
