import { describe, expect, it } from 'vitest';
import type { StationStatus } from '../../../contract/station-api.js';
import { statusLines } from './status-lines.js';

const NOW = 1_000_000_000_000;
const fmt = (ms: number) => `T${ms - NOW}`;
const s = (over: Partial<StationStatus>): StationStatus => ({ state: 'connected', since: NOW, ...over });

describe('statusLines', () => {
  it.each([
    ['connected, nothing else', s({}), [['status.connected', 'ok']]],
    ['connected ignores a stale reason', s({ reason: 'x' }), [['status.connected', 'ok']]],
    [
      'reconnecting with reason and retry',
      s({ state: 'reconnecting', reason: 'ECONNREFUSED', nextRetryAt: NOW + 2_500 }),
      [
        ['status.reconnecting', 'warn'],
        ['status.reason', 'info', { reason: 'ECONNREFUSED' }],
        ['status.retryIn', 'info', { seconds: 3 }],
      ],
    ],
    [
      'unauthorized',
      s({ state: 'unauthorized', reason: 'token_expired' }),
      [
        ['status.unauthorized', 'error'],
        ['status.reason', 'info', { reason: 'token_expired' }],
      ],
    ],
    [
      'degraded relay and store trouble',
      s({ relayDegraded: true, storeWriteErrors: 4, storeProblem: 'corrupt, kept aside' }),
      [
        ['status.connected', 'ok'],
        ['status.relayDegraded', 'warn'],
        ['status.storeErrors', 'error', { count: 4 }],
        ['status.storeProblem', 'error', { problem: 'corrupt, kept aside' }],
      ],
    ],
    [
      'token expiring soon while connected',
      s({ tokenExpiresAt: NOW + 3_600_000 }),
      [
        ['status.connected', 'ok'],
        ['status.tokenExpires', 'warn', { time: 'T3600000' }],
      ],
    ],
    [
      'token far from expiry says nothing',
      s({ tokenExpiresAt: NOW + 30 * 86_400_000 }),
      [['status.connected', 'ok']],
    ],
    [
      'token_expiring state',
      s({ state: 'token_expiring', tokenExpiresAt: NOW + 30 * 86_400_000 }),
      [
        ['status.token_expiring', 'warn'],
        ['status.tokenExpires', 'warn', { time: `T${30 * 86_400_000}` }],
      ],
    ],
  ] as const)('%s', (_name, status, expected) => {
    const lines = statusLines(status, NOW, fmt).map((l) =>
      l.params ? [l.key, l.severity, l.params] : [l.key, l.severity],
    );
    expect(lines).toEqual(expected);
  });
});
