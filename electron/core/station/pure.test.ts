import { describe, expect, it } from 'vitest';
import type { Fix } from '../../../protocol/fix.js';
import type { WatchedMember } from '../../../contract/station-api.js';
import type { RelayStatus } from '../relay-client/client.js';
import type { StoreStatus } from '../store/types.js';
import { checkFix } from './fix-gate.js';
import { mergeMembers } from './members.js';
import { composeStatus } from './status.js';

const NOW = 1_800_000_000_000;
const base: Fix = { uid: '42', lat: 23.1, lon: 113.3, ts: NOW, crs: 'gcj02' };

describe('checkFix', () => {
  it.each([
    ['a plain fix', base, undefined],
    ['a positioned fix', { ...base, epoch: 'e', offset: 3 }, undefined],
    ['an hour ahead (clock drift)', { ...base, ts: NOW + 3_600_000 }, undefined],
    ['two days ahead', { ...base, ts: NOW + 2 * 86_400_000 }, 'future_ts'],
    ['an epoch without offset', { ...base, epoch: 'e' }, 'partial_position'],
    ['an offset without epoch', { ...base, offset: 3 }, 'partial_position'],
  ])('%s → %s', (_name, fix, rejection) => {
    expect(checkFix(fix, NOW)).toBe(rejection);
  });
});

const watched = (uid: string, label = uid): WatchedMember => ({ uid, label, color: '#123456', addedAt: 0 });

describe('mergeMembers', () => {
  it.each([
    ['no token, nothing stored', undefined, [], [], []],
    [
      'token list, one watched, one active',
      ['1', '2', '3'],
      [watched('2', 'Van')],
      [{ uid: '3', lastTs: 5 }],
      [
        { uid: '2', allowed: true, watched: true, label: 'Van' },
        { uid: '3', allowed: true, watched: false, lastTs: 5 },
        { uid: '1', allowed: true, watched: false },
      ],
    ],
    [
      'active member outside the token scope',
      ['1'],
      [],
      [{ uid: '9', lastTs: 7 }],
      [
        { uid: '9', allowed: false, watched: false, lastTs: 7 },
        { uid: '1', allowed: true, watched: false },
      ],
    ],
    [
      'all members allowed',
      '*',
      [watched('5')],
      [{ uid: '6', lastTs: 1 }],
      [
        { uid: '5', allowed: true, watched: true, label: '5' },
        { uid: '6', allowed: true, watched: false, lastTs: 1 },
      ],
    ],
  ] as const)('%s', (_name, scope, w, active, expected) => {
    expect(mergeMembers(scope as never, w as never, active as never)).toEqual(expected);
  });
});

describe('composeStatus', () => {
  const relay: RelayStatus = { state: 'connected', since: 1, relayUrl: 'ws://r' };
  const store: StoreStatus = { file: 'f', pending: 0, writeErrors: 0, dropped: 0 };
  it.each([
    ['healthy', store, { state: 'connected', since: 1, relayUrl: 'ws://r' }],
    [
      'write errors',
      { ...store, writeErrors: 3 },
      { state: 'connected', since: 1, relayUrl: 'ws://r', storeWriteErrors: 3 },
    ],
    [
      'disk full, fixes waiting',
      {
        ...store,
        pending: 10,
        writeErrors: 10,
        lastError: { code: 'STORE_DISK_FULL', message: 'full', at: 2 },
      },
      {
        state: 'connected',
        since: 1,
        relayUrl: 'ws://r',
        storeWriteErrors: 10,
        storeProblem: 'STORE_DISK_FULL: full',
      },
    ],
    [
      'corrupt file set aside',
      { ...store, problem: { code: 'STORE_CORRUPT', message: 'moved to x.corrupt' } },
      { state: 'connected', since: 1, relayUrl: 'ws://r', storeProblem: 'STORE_CORRUPT: moved to x.corrupt' },
    ],
  ] as const)('%s', (_name, s, expected) => {
    expect(composeStatus(relay, s as StoreStatus)).toEqual(expected);
  });
});
