import { describe, expect, it } from 'vitest';
import {
  decodeHistoryCursor,
  encodeHistoryCursor,
  idempotencyKeyFor,
  memberKeys,
  timeIndexMember,
} from './keys.js';

describe('keys', () => {
  it('puts every key of a member under one hash tag', () => {
    expect(memberKeys('lodestar:', '42')).toEqual({
      meta: 'lodestar:{42}:meta',
      stream: 'lodestar:{42}:fixes',
      byTime: 'lodestar:{42}:bytime',
    });
  });

  it.each([
    ['cid wins', { uid: '42', cid: 'abc' }, 'whatever', 'cid:42:abc'],
    ['sha1 of the bytes otherwise', { uid: '42' }, 'abc', 'sha1:qZk-NkcGgWq6PiVxeFDCbJzQ2J0'],
    ['Buffer and string agree', { uid: '42' }, Buffer.from('abc'), 'sha1:qZk-NkcGgWq6PiVxeFDCbJzQ2J0'],
  ])('idempotency key: %s', (_name, fix, raw, expected) => {
    expect(idempotencyKeyFor(fix, raw)).toBe(expected);
  });

  it('orders time-index members by (ts, offset) lexically', () => {
    const members = [
      timeIndexMember(1_700_000_000_001, 2),
      timeIndexMember(1_700_000_000_000, 10),
      timeIndexMember(1_700_000_000_000, 9),
      timeIndexMember(999_999_999_999, 11),
    ];
    expect([...members].sort()).toEqual([members[3], members[2], members[1], members[0]]);
    // History starts a range at (from, 0): before every fix at `from`.
    expect(timeIndexMember(1_700_000_000_000, 0) < members[2]!).toBe(true);
  });

  it('round-trips cursors and refuses foreign ones', () => {
    const member = timeIndexMember(1_700_000_000_000, 7);
    expect(decodeHistoryCursor(encodeHistoryCursor('E1', member))).toEqual({ epoch: 'E1', member });
    expect(decodeHistoryCursor('not a cursor!')).toBeUndefined();
    expect(decodeHistoryCursor(Buffer.from('E1 123').toString('base64url'))).toBeUndefined();
  });
});
