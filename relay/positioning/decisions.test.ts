import { describe, expect, it } from 'vitest';
import type { Catchup } from '../../protocol/messages.js';
import {
  assessRange,
  decideCatchup,
  isHeldBeyondRedis,
  rangeReadBounds,
  type MemberSnapshot,
} from './decisions.js';

const member = (
  latest: number,
  oldest: number | undefined,
  epoch: string | undefined = 'E',
): MemberSnapshot => ({
  epoch,
  latest,
  oldest,
});

describe('decideCatchup', () => {
  it.each<[string, { epoch: string; offset: number } | undefined, MemberSnapshot, Catchup]>([
    ['no since: live', undefined, member(10, 1), { status: 'live' }],
    ['up to date: live', { epoch: 'E', offset: 10 }, member(10, 1), { status: 'live' }],
    [
      'claims more than Redis assigned in the same epoch: ahead_of_redis, nothing retired',
      { epoch: 'E', offset: 12 },
      member(10, 1),
      { status: 'not_recoverable', reason: 'ahead_of_redis', epoch: 'E', oldest: 1, latest: 10 },
    ],
    [
      'missed some: replay them',
      { epoch: 'E', offset: 7 },
      member(10, 1),
      { status: 'replaying', epoch: 'E', from: 8, to: 10, count: 3 },
    ],
    [
      'oldest retained is exactly the next one: replay',
      { epoch: 'E', offset: 4 },
      member(10, 5),
      { status: 'replaying', epoch: 'E', from: 5, to: 10, count: 6 },
    ],
    [
      'oldest retained is past the next one: beyond_window',
      { epoch: 'E', offset: 3 },
      member(10, 5),
      { status: 'not_recoverable', reason: 'beyond_window', epoch: 'E', oldest: 5, latest: 10 },
    ],
    [
      'stream expired, meta kept: beyond_window',
      { epoch: 'E', offset: 3 },
      member(10, undefined),
      { status: 'not_recoverable', reason: 'beyond_window', epoch: 'E', latest: 10 },
    ],
    [
      'exactly replayMax missed: replay',
      { epoch: 'E', offset: 0 },
      member(100, 1),
      { status: 'replaying', epoch: 'E', from: 1, to: 100, count: 100 },
    ],
    [
      'one more than replayMax: replay_cap',
      { epoch: 'E', offset: 0 },
      member(101, 1),
      { status: 'not_recoverable', reason: 'replay_cap', epoch: 'E', oldest: 1, latest: 101 },
    ],
    [
      'other epoch: epoch_changed with the new one',
      { epoch: 'OLD', offset: 5 },
      member(3, 1),
      { status: 'not_recoverable', reason: 'epoch_changed', epoch: 'E', oldest: 1, latest: 3 },
    ],
    [
      'nothing in Redis: epoch_changed',
      { epoch: 'OLD', offset: 5 },
      { epoch: undefined, latest: 0, oldest: undefined },
      { status: 'not_recoverable', reason: 'epoch_changed' },
    ],
  ])('%s', (_name, since, snapshot, expected) => {
    expect(decideCatchup(since, snapshot, 100)).toEqual(expected);
  });
});

describe('isHeldBeyondRedis', () => {
  it.each<[string, { epoch: string; offset: number } | undefined, MemberSnapshot, boolean]>([
    ['no since', undefined, member(10, 1), false],
    ['behind', { epoch: 'E', offset: 9 }, member(10, 1), false],
    ['equal', { epoch: 'E', offset: 10 }, member(10, 1), false],
    ['ahead', { epoch: 'E', offset: 11 }, member(10, 1), true],
    ['ahead but another epoch', { epoch: 'X', offset: 11 }, member(10, 1), false],
  ])('%s', (_name, since, snapshot, expected) => {
    expect(isHeldBeyondRedis(since, snapshot)).toBe(expected);
  });
});

describe('assessRange', () => {
  const offsets = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  it.each<[string, { from: number; to: number }, MemberSnapshot, number[], ReturnType<typeof assessRange>]>([
    ['all there', { from: 3, to: 6 }, member(10, 1), offsets(3, 6), { keep: true, complete: true }],
    ['single offset', { from: 10, to: 10 }, member(10, 1), [10], { keep: true, complete: true }],
    [
      'start trimmed',
      { from: 3, to: 6 },
      member(10, 5),
      offsets(5, 6),
      { keep: true, complete: false, reason: 'beyond_window' },
    ],
    [
      'all trimmed',
      { from: 3, to: 6 },
      member(10, 8),
      [],
      { keep: true, complete: false, reason: 'beyond_window' },
    ],
    [
      'reaches past latest',
      { from: 8, to: 12 },
      member(10, 1),
      offsets(8, 10),
      { keep: true, complete: false },
    ],
    ['entirely after latest', { from: 11, to: 12 }, member(10, 1), [], { keep: true, complete: false }],
    [
      'more than replayMax (5)',
      { from: 1, to: 9 },
      member(10, 1),
      offsets(1, 5),
      { keep: true, complete: false, reason: 'replay_cap' },
    ],
    [
      'other epoch',
      { from: 1, to: 2 },
      member(10, 1, 'NEW'),
      offsets(1, 2),
      { keep: false, complete: false, reason: 'epoch_changed' },
    ],
  ])('%s', (_name, bounds, snapshot, read, expected) => {
    expect(assessRange({ epoch: 'E', ...bounds }, snapshot, read, 5)).toEqual(expected);
  });

  it('reads at most replayMax offsets', () => {
    expect(rangeReadBounds({ epoch: 'E', from: 10, to: 1000 }, 5)).toEqual({ from: 10, to: 14 });
    expect(rangeReadBounds({ epoch: 'E', from: 10, to: 12 }, 5)).toEqual({ from: 10, to: 12 });
  });
});
