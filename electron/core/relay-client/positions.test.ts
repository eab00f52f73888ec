import { describe, expect, it } from 'vitest';
import { PositionTracker, watchBatches, WATCH_CHUNK } from './positions.js';

const BIG = { maxBytes: 1 << 20 };

describe('watchBatches', () => {
  it.each([
    [['42'], new Map(), [[{ uid: '42' }]]],
    [
      ['42', '43'],
      new Map([['43', { epoch: 'e', offset: 9 }]]),
      [[{ uid: '42' }, { uid: '43', since: { epoch: 'e', offset: 9 } }]],
    ],
    [[], new Map(), []],
  ])('%j with %j', (uids, since, expected) => {
    expect(watchBatches(uids, since, BIG)).toEqual(expected);
  });

  it('splits large watch lists at the protocol limit', () => {
    const uids = Array.from({ length: WATCH_CHUNK * 2 + 1 }, (_, i) => String(i));
    expect(watchBatches(uids, new Map(), BIG).map((m) => m.length)).toEqual([WATCH_CHUNK, WATCH_CHUNK, 1]);
  });

  it('keeps every message under the relay’s frame limit when members carry since', () => {
    const uids = Array.from({ length: 5000 }, (_, i) => String(1_000_000 + i));
    const since = new Map(uids.map((uid) => [uid, { epoch: 'k3x9f2-1234', offset: 1_234_567 }]));
    const maxBytes = 64 * 1024;
    const batches = watchBatches(uids, since, { maxBytes });
    expect(batches.flat()).toHaveLength(5000);
    for (const members of batches) {
      const frame = JSON.stringify({ type: 'watch', id: 'w123456', members });
      expect(frame.length).toBeLessThanOrEqual(maxBytes);
    }
    expect(batches.length).toBeGreaterThan(5); // 1,000 such members would not fit in one frame
  });
});

describe('PositionTracker', () => {
  it.each([
    // seeded offset, incoming offsets, expected gaps per incoming
    [undefined, [1, 2, 3], [undefined, undefined, undefined]],
    [4, [5, 8, 9], [undefined, { from: 6, to: 7 }, undefined]],
    [4, [3, 4, 6], [undefined, undefined, { from: 5, to: 5 }]],
    [10, [20], [{ from: 11, to: 19 }]],
  ])('seeded at %s, fixes %j → gaps %j', (seed, offsets, gaps) => {
    const tracker = new PositionTracker();
    if (seed !== undefined) tracker.seed(new Map([['42', { epoch: 'e', offset: seed }]]));
    expect(offsets.map((offset) => tracker.observe('42', { epoch: 'e', offset }))).toEqual(gaps);
  });

  it('does not call a new epoch a gap, and forgets unwatched members', () => {
    const tracker = new PositionTracker();
    tracker.seed(new Map([['42', { epoch: 'e1', offset: 100 }]]));
    expect(tracker.observe('42', { epoch: 'e2', offset: 1 })).toBeUndefined();
    expect(tracker.observe('42', { epoch: 'e2', offset: 3 })).toEqual({ from: 2, to: 2 });
    tracker.forget(['42']);
    expect(tracker.observe('42', { epoch: 'e2', offset: 50 })).toBeUndefined();
  });
});
