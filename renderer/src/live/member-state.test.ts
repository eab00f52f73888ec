import { describe, expect, it } from 'vitest';
import type { StationStatus } from '../../../contract/station-api.js';
import {
  countStates,
  DEFAULT_THRESHOLDS,
  judgeMember,
  judgementOf,
  memberState,
  msUntilNextState,
} from './member-state.js';

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

describe('judgementOf (is silence the members’ own?)', () => {
  const status = (over: Partial<StationStatus>): StationStatus => ({
    state: 'connected',
    since: NOW - 10 * MIN,
    ...over,
  });
  it.each([
    ['status not known yet (host not answering)', undefined, 'held'],
    ['connected for 10 min', status({}), 'judging'],
    ['token being refreshed, still connected', status({ state: 'token_expiring', since: NOW }), 'judging'],
    ['reconnecting', status({ state: 'reconnecting' }), 'held'],
    ['relay down or host lost (offline)', status({ state: 'offline', code: 'host_unreachable' }), 'held'],
    ['connecting', status({ state: 'connecting' }), 'held'],
    ['token rejected', status({ state: 'unauthorized' }), 'held'],
    ['relay cannot reach its store', status({ relayDegraded: true }), 'held'],
    ['connected again just now, nothing to catch up', status({ since: NOW }), 'judging'],
    [
      'connected again, 3 members still being caught up',
      status({ since: NOW, catchingUp: 3 }),
      'catching_up',
    ],
    [
      'long catch-up, 1 member left after 5 min',
      status({ since: NOW - 5 * MIN, catchingUp: 1 }),
      'catching_up',
    ],
    ['catch-up count zero', status({ since: NOW, catchingUp: 0 }), 'judging'],
    ['catching up, but the relay lost its store', status({ catchingUp: 3, relayDegraded: true }), 'held'],
    ['catching up, connection gone again', status({ state: 'reconnecting', catchingUp: 3 }), 'held'],
    [
      'catching up while the token is refreshed',
      status({ state: 'token_expiring', catchingUp: 2 }),
      'catching_up',
    ],
    [
      'connected, backfill under way',
      status({ backfill: [{ uid: 'a', done: 1, total: 9 }] as StationStatus['backfill'] }),
      'catching_up',
    ],
  ] as const)('%s → %s', (_name, input, expected) => {
    expect(judgementOf(input)).toBe(expected);
  });
});

describe('judgeMember', () => {
  const fresh = NOW - 10_000;
  const old = NOW - 30 * MIN;
  const staleTs = NOW - 5 * MIN;
  it.each([
    // judging: the age decides; going offline from live or stale alerts, once
    ['judging', 'live', old, 'offline', true],
    ['judging', 'stale', old, 'offline', true],
    ['judging', 'offline', old, 'offline', false],
    ['judging', undefined, old, 'offline', false],
    ['judging', 'live', staleTs, 'stale', false],
    ['judging', 'offline', fresh, 'live', false],
    // held: silence we caused makes no one older, and nothing alerts
    ['held', 'live', old, 'live', false],
    ['held', 'live', staleTs, 'live', false],
    ['held', 'stale', old, 'stale', false],
    ['held', 'offline', old, 'offline', false],
    // …but a fix that arrives is a fact
    ['held', 'offline', fresh, 'live', false],
    ['catching_up', 'stale', fresh, 'live', false],
    ['catching_up', 'live', old, 'live', false],
    // never judged: the age says what it can, without an alert
    ['held', undefined, old, 'offline', false],
    ['held', 'none', fresh, 'live', false],
    ['held', undefined, undefined, 'none', false],
  ] as const)('%s, was %s, last fix %d → %s (alert %s)', (judgement, previous, lastTs, state, alert) => {
    expect(judgeMember(previous, lastTs, NOW, DEFAULT_THRESHOLDS, judgement)).toEqual({ state, alert });
  });
});
