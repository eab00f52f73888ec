import { describe, expect, it } from 'vitest';
import { SLOT_COUNT, slotOf, slotTag } from './slots.js';

describe('slotOf', () => {
  // Values from the Redis Cluster specification and `CLUSTER KEYSLOT` on Redis 7.0.
  it.each([
    ['123456789', 12739],
    ['foo', 12182],
    ['bar', 5061],
    ['lodestar:{42}:meta', slotOf('42')],
    ['{user1000}.following', slotOf('user1000')],
    ['foo{}{bar}', slotOf('foo{}{bar}')],
    ['foo{{bar}}zap', slotOf('{bar')],
  ])('%s', (key, slot) => {
    expect(slotOf(key)).toBe(slot);
  });
});

describe('slotTag', () => {
  it('gives every slot a tag that hashes to it', () => {
    for (let slot = 0; slot < SLOT_COUNT; slot++) expect(slotOf(`x{${slotTag(slot)}}y`)).toBe(slot);
  });

  it('keeps the tags stable: they are part of key and channel names', () => {
    expect([0, 1, 12739, 16383].map(slotTag)).toEqual(['1bz', 'emj', 'za2', 'hia']);
  });
});
