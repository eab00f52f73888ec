import { describe, expect, it } from 'vitest';
import { LostTally, RawBacklog } from './raw-backlog.js';

const entry = (uid: string, heldAt: number, message = 'x'.repeat(10)) => ({
  uid,
  message,
  value: uid,
  heldAt,
});

describe('RawBacklog', () => {
  it.each<[string, { maxMessages: number; maxBytes: number }, number, (string | undefined)[]]>([
    ['within both bounds', { maxMessages: 3, maxBytes: 100 }, 3, [undefined, undefined, undefined]],
    ['past the count', { maxMessages: 2, maxBytes: 100 }, 3, [undefined, undefined, 'backlog_full']],
    ['past the bytes', { maxMessages: 10, maxBytes: 25 }, 3, [undefined, undefined, 'backlog_full']],
  ])('%s', (_name, limits, count, expected) => {
    const backlog = new RawBacklog<string>({ ...limits, maxAgeMs: 1000 });
    expect(Array.from({ length: count }, (_, i) => backlog.hold(entry(`u${i}`, 0)))).toEqual(expected);
  });

  it('gives back the oldest first, expired ones apart, and takes requeued ones first again', () => {
    const backlog = new RawBacklog<string>({ maxMessages: 10, maxBytes: 1000, maxAgeMs: 100 });
    backlog.hold(entry('old', 0));
    backlog.hold(entry('a', 150));
    backlog.hold(entry('b', 160));
    const first = backlog.take(2, 200);
    expect(first.expired.map((e) => e.uid)).toEqual(['old']);
    expect(first.ready.map((e) => e.uid)).toEqual(['a', 'b']);
    backlog.hold(entry('c', 170));
    backlog.requeue(first.ready);
    expect(backlog.take(10, 200).ready.map((e) => e.uid)).toEqual(['a', 'b', 'c']);
    expect(backlog.size).toBe(0);
    // Bytes were given back: the bound admits as many again.
    expect(backlog.hold(entry('d', 200, 'x'.repeat(1000)))).toBeUndefined();
  });
});

describe('LostTally', () => {
  it('counts per member until taken', () => {
    const tally = new LostTally();
    tally.add('1');
    tally.add('2', 3);
    tally.add('1');
    expect([...tally.takeAll()]).toEqual([
      ['1', 2],
      ['2', 3],
    ]);
    expect(tally.empty).toBe(true);
  });
});
