import { describe, expect, it } from 'vitest';
import { gapJumpAt } from './gap-jump.js';

const seg = (fromTs: number, toTs: number) => ({ start: 0, end: 1, fromTs, toTs });
const A = [seg(0, 100), seg(400, 500)];
const B = [seg(50, 150), seg(300, 350)];

describe('gapJumpAt', () => {
  it.each([
    ['inside a segment of A', [A], 50, undefined],
    ['in A’s gap', [A], 200, { from: 200, to: 400, gapFrom: 100, gapTo: 400 }],
    ['before anything', [A], -10, { from: -10, to: 0, gapFrom: -10, gapTo: 0 }],
    ['after the end', [A], 600, undefined],
    ['A in a gap but B has data', [A, B], 120, undefined],
    [
      'both in a gap: to the earliest next data',
      [A, B],
      200,
      { from: 200, to: 300, gapFrom: 150, gapTo: 300 },
    ],
    ['no members', [], 10, undefined],
  ])('%s', (_name, members, t, expected) => {
    expect(gapJumpAt(members, t)).toEqual(expected);
  });
});
