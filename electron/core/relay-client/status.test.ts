import { describe, expect, it } from 'vitest';
import { initialStatus, reduceStatus, type RelayStatus, type StatusEvent } from './status.js';

const URL = 'ws://relay';
const T = 1_000;
const connected: RelayStatus = {
  state: 'connected',
  code: 'welcome',
  reason: 'connected to relay r1',
  since: 500,
  relayUrl: URL,
  relayDegraded: false,
  tokenExpiresAt: 9_000,
  tokenReceivedAt: 500,
};
const retrying: RelayStatus = {
  state: 'reconnecting',
  code: 'connection_closed',
  detail: 'close 1006',
  reason: 'connection closed (close 1006)',
  since: 600,
  relayUrl: URL,
  nextRetryAt: 1_500,
};

describe('reduceStatus', () => {
  it.each<[string, RelayStatus, StatusEvent, RelayStatus]>([
    [
      'first attempt',
      initialStatus(URL, 0),
      { type: 'connecting', firstAttempt: true },
      { state: 'connecting', code: 'connecting', reason: 'connecting to the relay', since: T, relayUrl: URL },
    ],
    [
      'a later attempt keeps the retry state and its time',
      retrying,
      { type: 'connecting', firstAttempt: false },
      retrying,
    ],
    [
      'welcome clears the retry time and detail',
      retrying,
      { type: 'welcome', relayId: 'r1', degraded: true, expiresAt: 9_000 },
      // A new token's known life starts at the welcome.
      { ...connected, relayDegraded: true, since: T, tokenReceivedAt: T },
    ],
    [
      'welcome again with the same token keeps when it was received',
      { ...retrying, tokenExpiresAt: 9_000, tokenReceivedAt: 500 },
      { type: 'welcome', relayId: 'r1', degraded: false, expiresAt: 9_000 },
      { ...connected, since: T },
    ],
    [
      'a close with a retry scheduled carries when',
      connected,
      {
        type: 'retrying',
        state: 'reconnecting',
        code: 'service_restart',
        reason: 'draining',
        nextRetryAt: 2_000,
      },
      {
        state: 'reconnecting',
        code: 'service_restart',
        reason: 'draining',
        since: T,
        relayUrl: URL,
        tokenExpiresAt: 9_000,
        tokenReceivedAt: 500,
        nextRetryAt: 2_000,
      },
    ],
    [
      'offline after attempts keeps saying when the next one is',
      retrying,
      {
        type: 'retrying',
        state: 'offline',
        code: 'relay_unreachable',
        reason: 'connect ECONNREFUSED',
        nextRetryAt: 4_000,
      },
      {
        state: 'offline',
        code: 'relay_unreachable',
        reason: 'connect ECONNREFUSED',
        since: T,
        relayUrl: URL,
        nextRetryAt: 4_000,
      },
    ],
    [
      'halted: no retry time',
      retrying,
      { type: 'halted', state: 'unauthorized', code: 'token_bad_signature', reason: 'refused' },
      { state: 'unauthorized', code: 'token_bad_signature', reason: 'refused', since: T, relayUrl: URL },
    ],
    [
      'the same state keeps its since',
      connected,
      { type: 'token_refreshed', expiresAt: 20_000 },
      {
        ...connected,
        code: 'token_refreshed',
        reason: 'token refreshed',
        tokenExpiresAt: 20_000,
        tokenReceivedAt: T,
      },
    ],
    [
      'relay status changes only the degraded flag and the detail text',
      connected,
      { type: 'relay_status', degraded: true, reason: 'redis unreachable' },
      { ...connected, relayDegraded: true, reason: 'redis unreachable' },
    ],
    [
      'backfill progress is shown',
      connected,
      { type: 'backfill', progress: [{ uid: '42', done: 3_200, total: 12_000 }] },
      { ...connected, backfill: [{ uid: '42', done: 3_200, total: 12_000 }] },
    ],
    [
      'and goes when nothing is left',
      { ...connected, backfill: [{ uid: '42', done: 1, total: 2 }] },
      { type: 'backfill', progress: [] },
      connected,
    ],
    [
      'members being caught up are counted',
      connected,
      { type: 'catching_up', members: 12 },
      { ...connected, catchingUp: 12 },
    ],
    [
      'and the count goes when the catch-up is over',
      { ...connected, catchingUp: 1 },
      { type: 'catching_up', members: 0 },
      connected,
    ],
    [
      'a catch-up ends with its connection',
      { ...connected, catchingUp: 5 },
      {
        type: 'retrying',
        state: 'reconnecting',
        code: 'relay_unreachable',
        reason: 'gone',
        nextRetryAt: 2_000,
      },
      {
        state: 'reconnecting',
        code: 'relay_unreachable',
        reason: 'gone',
        nextRetryAt: 2_000,
        since: T,
        relayUrl: URL,
        tokenExpiresAt: 9_000,
        tokenReceivedAt: 500,
      },
    ],
    [
      'token expiring',
      connected,
      { type: 'token_expiring', code: 'token_expiring', reason: 'soon', expiresAt: 9_500 },
      {
        ...connected,
        state: 'token_expiring',
        code: 'token_expiring',
        reason: 'soon',
        tokenExpiresAt: 9_500,
        tokenReceivedAt: T,
        since: T,
      },
    ],
  ])('%s', (_name, current, event, expected) => {
    expect(reduceStatus(current, event, T)).toEqual(expected);
  });

  it('gives every status a code', () => {
    const events: StatusEvent[] = [
      { type: 'connecting', firstAttempt: true },
      { type: 'welcome', relayId: 'r', degraded: false, expiresAt: 1 },
      { type: 'retrying', state: 'reconnecting', code: 'slow_consumer', reason: 'r', nextRetryAt: 1 },
      { type: 'halted', state: 'offline', code: 'stopped', reason: 'r' },
    ];
    let status = initialStatus(URL, 0);
    for (const event of events) {
      status = reduceStatus(status, event, T);
      expect(status.code).toBeDefined();
    }
  });
});
