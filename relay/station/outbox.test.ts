import { describe, expect, it } from 'vitest';
import { Outbox } from './outbox.js';

const frame = (text: string) => Buffer.from(text);

describe('Outbox', () => {
  it('keeps the latest frame per member, in the order members last moved', () => {
    const outbox = new Outbox();
    expect(outbox.put('a', frame('a1'), 10)).toBe(false);
    expect(outbox.put('b', frame('b1'), 11)).toBe(false);
    expect(outbox.put('a', frame('a2!'), 12)).toBe(true);
    expect([outbox.size, outbox.bytes, outbox.behindSince]).toEqual([2, 5, 10]);
    const written: string[] = [];
    expect(outbox.flush((f) => written.push(f.toString()))).toBe(2);
    expect(written).toEqual(['b1', 'a2!']);
    expect([outbox.size, outbox.bytes, outbox.behindSince]).toEqual([0, 0, undefined]);
  });

  it.each([
    ['a waiting member', 'a', 1, 2],
    ['a member with nothing waiting', 'c', 2, 4],
  ])('drops %s', (_name, uid, size, bytes) => {
    const outbox = new Outbox();
    outbox.put('a', frame('a1'), 1);
    outbox.put('b', frame('b1'), 2);
    outbox.drop(uid);
    expect([outbox.size, outbox.bytes]).toEqual([size, bytes]);
  });
});
