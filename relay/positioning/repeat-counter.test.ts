import { describe, expect, it } from 'vitest';
import { RepeatCounter } from './repeat-counter.js';

describe('RepeatCounter', () => {
  it.each([
    [
      'distinct bytes are each a first',
      [
        ['a', 0],
        ['b', 1],
        ['c', 2],
      ],
      [1, 1, 1],
    ],
    [
      'identical bytes count up',
      [
        ['a', 0],
        ['a', 10],
        ['a', 20],
      ],
      [1, 2, 3],
    ],
    [
      'a repeat after the TTL starts again',
      [
        ['a', 0],
        ['a', 10],
        ['a', 1011],
      ],
      [1, 2, 1],
    ],
    [
      'the TTL runs from the last sighting',
      [
        ['a', 0],
        ['a', 900],
        ['a', 1800],
      ],
      [1, 2, 3],
    ],
    [
      'other bytes do not disturb a count',
      [
        ['a', 0],
        ['b', 5],
        ['a', 10],
        ['b', 2000],
        ['a', 2001],
      ],
      [1, 1, 2, 1, 1],
    ],
  ] as const)('%s', (_name, arrivals, expected) => {
    const counter = new RepeatCounter(1000);
    expect(arrivals.map(([raw, at]) => counter.next(raw, at))).toEqual(expected);
  });

  it('forgets bytes past the TTL', () => {
    const counter = new RepeatCounter(1000);
    for (let i = 0; i < 100; i++) counter.next(`m${i}`, i);
    counter.next('late', 5000);
    expect(counter.size).toBe(1);
  });
});
