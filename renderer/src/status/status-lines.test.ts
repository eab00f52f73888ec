import { describe, expect, it } from 'vitest';
import type { StationStatus, StatusCode } from '../../../contract/station-api.js';
import { statusLines, tokenWarningDue } from './status-lines.js';

const NOW = 1_000_000_000_000;
const fmt = (ms: number) => `T${ms - NOW}`;
const s = (over: Partial<StationStatus>): StationStatus => ({ state: 'connected', since: NOW, ...over });

describe('statusLines', () => {
  it.each([
    ['connected, nothing else', s({}), [['status.connected', 'ok']]],
    ['connected ignores a stale reason', s({ reason: 'x' }), [['status.connected', 'ok']]],
    [
      'reconnecting: the code translated, never the English reason, and when the next try is',
      s({
        state: 'reconnecting',
        code: 'relay_unreachable',
        reason: 'connect ECONNREFUSED',
        nextRetryAt: NOW + 2_500,
      }),
      [
        ['status.reconnecting', 'warn'],
        ['status.code.relay_unreachable', 'info'],
        ['status.retryAt', 'info', { time: 'T2500', seconds: 3 }],
      ],
    ],
    [
      'offline also says when the next try is',
      s({ state: 'offline', code: 'connection_closed', detail: '4999', nextRetryAt: NOW + 30_000 }),
      [
        ['status.offline', 'error'],
        ['status.code.close', 'info', { code: '4999' }],
        ['status.retryAt', 'info', { time: 'T30000', seconds: 30 }],
      ],
    ],
    [
      'the browser page lost its host',
      s({ state: 'offline', code: 'host_unreachable', nextRetryAt: NOW + 2_000 }),
      [
        ['status.offline', 'error'],
        ['status.code.host_unreachable', 'info'],
        ['status.retryAt', 'info', { time: 'T2000', seconds: 2 }],
      ],
    ],
    [
      'unauthorized',
      s({
        state: 'unauthorized',
        code: 'token_expired',
        reason: 'the relay refused the token (token_expired)',
      }),
      [
        ['status.unauthorized', 'error'],
        ['status.code.token_expired', 'info'],
      ],
    ],
    [
      'an upgrade refused with an HTTP status',
      s({ state: 'reconnecting', code: 'relay_http_error', detail: '503' }),
      [
        ['status.reconnecting', 'warn'],
        ['status.code.http', 'info', { status: '503' }],
      ],
    ],
    [
      'backfill progress per member',
      s({ backfill: [{ uid: '42', done: 3200, total: 12000 }] }),
      [
        ['status.connected', 'ok'],
        [
          'status.backfill',
          'info',
          { uid: '42', done: (3200).toLocaleString(), total: (12000).toLocaleString() },
        ],
      ],
    ],
    [
      'a code this renderer does not know shows as a code',
      s({ state: 'reconnecting', code: 'brand new<b>' as StatusCode }),
      [
        ['status.reconnecting', 'warn'],
        ['status.code.unknown', 'info', { code: 'brandnewb' }],
      ],
    ],
    [
      'degraded relay and store trouble',
      s({ relayDegraded: true, storeWriteErrors: 4, storeProblem: 'STORE_CORRUPT: file is not a database' }),
      [
        ['status.connected', 'ok'],
        ['status.relayDegraded', 'warn'],
        ['status.storeErrors', 'error', { count: 4 }],
        ['status.store.STORE_CORRUPT', 'error'],
      ],
    ],
    [
      'an unknown store problem shows its code only',
      s({ storeProblem: 'SQLITE_WEIRD: something in English' }),
      [
        ['status.connected', 'ok'],
        ['status.store.other', 'error', { code: 'SQLITE_WEIRD' }],
      ],
    ],
    [
      'token expiring soon while connected',
      s({ tokenExpiresAt: NOW + 1_800_000 }),
      [
        ['status.connected', 'ok'],
        ['status.tokenExpires', 'warn', { time: 'T1800000' }],
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

describe('tokenWarningDue (the last hour, or the last 10 % of the life if shorter)', () => {
  const H = 3_600_000;
  const MIN = 60_000;
  it.each([
    // An 8 h operator token: 10 % is 48 min, shorter than the hour.
    ['8 h token, just received', NOW + 8 * H, NOW, false],
    ['8 h token, 50 min left', NOW + 50 * MIN, NOW - 7 * H - 10 * MIN, false],
    ['8 h token, 47 min left', NOW + 47 * MIN, NOW + 47 * MIN - 8 * H, true],
    // The demo's 12 h token: 10 % is 72 min, so the hour counts.
    ['12 h token, 61 min left', NOW + 61 * MIN, NOW + 61 * MIN - 12 * H, false],
    ['12 h token, 59 min left', NOW + 59 * MIN, NOW + 59 * MIN - 12 * H, true],
    // A 30-day token: the hour.
    ['30-day token, 23 h left (the old 24 h rule warned here)', NOW + 23 * H, NOW - 29 * 24 * H, false],
    ['30-day token, 30 min left', NOW + 30 * MIN, NOW - 30 * 24 * H, true],
    // A 10 min token (tests): the last minute only.
    ['10 min token, 2 min left', NOW + 2 * MIN, NOW - 8 * MIN, false],
    ['10 min token, 30 s left', NOW + 30_000, NOW - 9.5 * MIN, true],
    // Life unknown (no receipt time, or a nonsense one): the hour alone.
    ['unknown life, 2 h left', NOW + 2 * H, undefined, false],
    ['unknown life, 59 min left', NOW + 59 * MIN, undefined, true],
    ['received after its expiry', NOW + 30 * MIN, NOW + H, true],
    ['already expired', NOW - MIN, NOW - 8 * H, true],
    ['no token expiry known', undefined, NOW, false],
  ] as const)('%s → %s', (_name, expiresAt, receivedAt, expected) => {
    expect(tokenWarningDue(expiresAt, receivedAt, NOW)).toBe(expected);
  });
});
