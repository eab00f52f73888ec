import { describe, expect, it } from 'vitest';
import {
  checkOffset,
  closeCodeName,
  decideAfterClose,
  decideUpgradeRefusal,
  heartbeatDeadlineMs,
  heartbeatVerdict,
  stateWhileRetrying,
} from './decisions.js';

describe('decideAfterClose', () => {
  it.each([
    // code, state, delay, refreshToken, resetAttempts, name
    [1012, 'reconnecting', 'soon', false, true, 'service_restart'],
    [4008, 'reconnecting', 'soon', false, true, 'slow_consumer'],
    [4001, 'reconnecting', 'soon', true, false, 'token_expired'],
    [1008, 'reconnecting', 'max_backoff', false, false, 'policy_violation'],
    [1011, 'reconnecting', 'backoff', false, false, 'internal_error'],
    [1006, 'reconnecting', 'backoff', false, false, 'connection_closed'],
    [4321, 'reconnecting', 'backoff', false, false, 'connection_closed'],
    [1000, 'reconnecting', 'backoff', false, false, 'normal'],
  ] as const)('close %i → %s after %s delay', (code, state, delay, refreshToken, resetAttempts, name) => {
    const detail = name === 'connection_closed' ? { detail: `close ${code}` } : {};
    expect(decideAfterClose(code)).toEqual({
      state,
      delay,
      refreshToken,
      resetAttempts,
      code: name,
      ...detail,
    });
  });
});

describe('decideUpgradeRefusal', () => {
  it.each([
    [401, 'token_expired', { state: 'unauthorized', retry: true, refreshToken: true, code: 'token_expired' }],
    [
      401,
      'token_bad_signature',
      { state: 'unauthorized', retry: false, refreshToken: false, code: 'token_bad_signature' },
    ],
    [
      401,
      undefined,
      {
        state: 'unauthorized',
        retry: false,
        refreshToken: false,
        code: 'relay_http_error',
        detail: 'HTTP 401',
      },
    ],
    [
      401,
      'made_up_code',
      {
        state: 'unauthorized',
        retry: false,
        refreshToken: false,
        code: 'relay_http_error',
        detail: 'HTTP 401',
      },
    ],
    [
      403,
      'token_wrong_role',
      { state: 'unauthorized', retry: false, refreshToken: false, code: 'token_wrong_role' },
    ],
    [
      502,
      undefined,
      {
        state: 'reconnecting',
        retry: true,
        refreshToken: false,
        code: 'relay_http_error',
        detail: 'HTTP 502',
      },
    ],
    [
      404,
      undefined,
      {
        state: 'reconnecting',
        retry: true,
        refreshToken: false,
        code: 'relay_http_error',
        detail: 'HTTP 404',
      },
    ],
  ] as const)('HTTP %i (%s)', (status, code, expected) => {
    expect(decideUpgradeRefusal(status, code)).toEqual(expected);
  });
});

describe('stateWhileRetrying', () => {
  it.each([
    [0, 'reconnecting'],
    [1, 'reconnecting'],
    [2, 'reconnecting'],
    [3, 'offline'],
    [40, 'offline'],
  ] as const)('%i failed attempts → %s', (attempts, state) => {
    expect(stateWhileRetrying(attempts)).toBe(state);
  });
});

describe('heartbeatDeadlineMs', () => {
  it.each([
    [10_000, 25_000],
    [1_000, 2_500],
    [3, 8],
  ])('heartbeat every %i ms → dead after %i ms of silence', (heartbeat, deadline) => {
    expect(heartbeatDeadlineMs(heartbeat)).toBe(deadline);
  });
});

describe('checkOffset', () => {
  it.each([
    [undefined, { epoch: 'e1', offset: 5 }, { kind: 'first' }],
    [{ epoch: 'e1', offset: 4 }, { epoch: 'e1', offset: 5 }, { kind: 'next' }],
    [{ epoch: 'e1', offset: 5 }, { epoch: 'e1', offset: 5 }, { kind: 'old' }],
    [{ epoch: 'e1', offset: 9 }, { epoch: 'e1', offset: 5 }, { kind: 'old' }],
    [
      { epoch: 'e1', offset: 4 },
      { epoch: 'e1', offset: 6 },
      { kind: 'gap', from: 5, to: 5 },
    ],
    [
      { epoch: 'e1', offset: 4 },
      { epoch: 'e1', offset: 100 },
      { kind: 'gap', from: 5, to: 99 },
    ],
    [{ epoch: 'e1', offset: 4 }, { epoch: 'e2', offset: 1 }, { kind: 'new_epoch' }],
  ])('held %j, incoming %j → %j', (held, incoming, expected) => {
    expect(checkOffset(held, incoming)).toEqual(expected);
  });
});

it.each([
  [4001, 'token_expired'],
  [1012, 'service_restart'],
  [4999, 'connection_closed'],
])('closeCodeName(%i) = %s', (code, name) => {
  expect(closeCodeName(code)).toBe(name);
});

describe('heartbeatVerdict', () => {
  it.each([
    [1_000, 0, false, { kind: 'dead' }],
    [1_000, 500, false, { kind: 'dead' }],
    [1_000, 501, false, { kind: 'wait', ms: 1_000 }],
    [1_000, 5_000, true, { kind: 'dead' }],
  ] as const)('heartbeat %i ms, deadline %i ms late, waited before: %s → %o', (hb, late, waited, verdict) => {
    expect(heartbeatVerdict(hb, late, waited)).toEqual(verdict);
  });
});
