import { describe, expect, it } from 'vitest';
import { countStates, DEFAULT_THRESHOLDS, memberState, msUntilNextState } from './member-state.js';

const NOW = 1_700_000_000_000;
const MIN = 60_000;

describe('memberState (defaults: stale after 2 min, offline after 10 min)', () => {
  it.each([
    ['no fix yet', undefined, 'none'],
    ['NaN timestamp', Number.NaN, 'none'],
    ['just now', NOW, 'live'],
    ['from the future (clock skew)', NOW + 5 * MIN, 'live'],
    ['1 min 59.999 s', NOW - 2 * MIN + 1, 'live'],
    ['exactly 2 min', NOW - 2 * MIN, 'stale'],
    ['9 min 59.999 s', NOW - 10 * MIN + 1, 'stale'],
    ['exactly 10 min', NOW - 10 * MIN, 'offline'],
    ['a day', NOW - 1440 * MIN, 'offline'],
  ] as const)('%s → %s', (_name, lastTs, expected) => {
    expect(memberState(lastTs, NOW, DEFAULT_THRESHOLDS)).toBe(expected);
  });

  it.each([
    [{ staleAfterMs: 10_000, offlineAfterMs: 30_000 }, NOW - 15_000, 'stale'],
    [{ staleAfterMs: 10_000, offlineAfterMs: 30_000 }, NOW - 30_000, 'offline'],
    // Equal thresholds: nothing is ever stale, a member goes straight from live to offline.
    [{ staleAfterMs: 60_000, offlineAfterMs: 60_000 }, NOW - 60_000, 'offline'],
  ] as const)('thresholds %j, last fix %d → %s', (thresholds, lastTs, expected) => {
    expect(memberState(lastTs, NOW, thresholds)).toBe(expected);
  });
});

describe('msUntilNextState', () => {
  it.each([
    [undefined, undefined],
    [NOW, 2 * MIN],
    [NOW - MIN, MIN],
    [NOW - 3 * MIN, 7 * MIN],
    [NOW - 10 * MIN, undefined],
  ] as const)('last fix %s → %s', (lastTs, expected) => {
    expect(msUntilNextState(lastTs, NOW, DEFAULT_THRESHOLDS)).toBe(expected);
  });
});

describe('countStates', () => {
  it('counts each state', () => {
    expect(countStates(['live', 'live', 'stale', 'offline', 'none', 'live'])).toEqual({
      live: 3,
      stale: 1,
      offline: 1,
      none: 1,
    });
  });
});
