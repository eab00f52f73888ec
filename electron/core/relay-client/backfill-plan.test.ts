import { describe, expect, it } from 'vitest';
import type { Fix } from '../../../protocol/fix.js';
import type { BackfillSpan } from '../store/types.js';
import {
  holeAfterBackfill,
  planAfterNotRecoverable,
  type BackfillPlan,
  type NotRecoverable,
} from './backfill-plan.js';

const NOW = 2_000_000;
const SINCE_TS = 1_000_000;
const since = { epoch: 'e1', offset: 100 };
const latestFix = (epoch: string, offset: number, ts = 1_900_000): Fix => ({
  uid: '42',
  lat: 23,
  lon: 113,
  ts,
  crs: 'gcj02',
  epoch,
  offset,
});
const span = (extra: Partial<BackfillSpan>): BackfillSpan => ({
  uid: '42',
  epoch: 'e1',
  afterOffset: 100,
  toOffset: 12_100,
  fromTs: SINCE_TS,
  toTs: NOW,
  reason: 'replay_cap',
  createdAt: NOW,
  ...extra,
});

describe('planAfterNotRecoverable', () => {
  it.each<[string, NotRecoverable, Fix | null, BackfillPlan]>([
    [
      'replay_cap: fetch the whole span',
      { status: 'not_recoverable', reason: 'replay_cap', epoch: 'e1', oldest: 1, latest: 12_100 },
      latestFix('e1', 12_100),
      { kind: 'span', span: span({}) },
    ],
    [
      'beyond_window: fetch what is left; the start is a hole',
      { status: 'not_recoverable', reason: 'beyond_window', epoch: 'e1', oldest: 5_000, latest: 12_100 },
      latestFix('e1', 12_100),
      {
        kind: 'span',
        span: span({ reason: 'beyond_window', hole: { fromTs: SINCE_TS, reason: 'beyond_window' } }),
      },
    ],
    [
      'beyond_window with nothing retained: all of it is a hole',
      { status: 'not_recoverable', reason: 'beyond_window', epoch: 'e1', latest: 12_100 },
      latestFix('e1', 12_100),
      {
        kind: 'hole',
        hole: { uid: '42', from: SINCE_TS, to: 1_900_000, reason: 'beyond_window', missing: 12_000 },
      },
    ],
    [
      'epoch_changed with a new epoch: fetch the new epoch; the time between is a hole',
      { status: 'not_recoverable', reason: 'epoch_changed', epoch: 'e2', oldest: 1, latest: 40 },
      latestFix('e2', 40),
      {
        kind: 'span',
        span: span({
          epoch: 'e2',
          afterOffset: 0,
          toOffset: 40,
          reason: 'epoch_changed',
          hole: { fromTs: SINCE_TS, reason: 'epoch_changed' },
        }),
      },
    ],
    [
      'epoch_changed with Redis empty: a hole up to now',
      { status: 'not_recoverable', reason: 'epoch_changed' },
      null,
      { kind: 'hole', hole: { uid: '42', from: SINCE_TS, to: NOW, reason: 'epoch_changed' } },
    ],
    [
      'ahead_of_redis: the station holds it all; nothing to fetch, no hole',
      {
        status: 'not_recoverable',
        reason: 'ahead_of_redis' as NotRecoverable['reason'],
        epoch: 'e1',
        latest: 90,
      },
      latestFix('e1', 90),
      { kind: 'nothing' },
    ],
    [
      'unavailable: watch again with the same since',
      { status: 'not_recoverable', reason: 'unavailable' },
      null,
      { kind: 'watch_again' },
    ],
  ])('%s', (_name, catchup, latest, expected) => {
    expect(
      planAfterNotRecoverable({ uid: '42', since, sinceTs: SINCE_TS, catchup, latest, now: NOW }),
    ).toEqual(expected);
  });

  it.each([
    ['no since', undefined, SINCE_TS],
    ['since not stored', since, undefined],
  ])('%s: nothing to do', (_name, s, sinceTs) => {
    const catchup: NotRecoverable = {
      status: 'not_recoverable',
      reason: 'replay_cap',
      epoch: 'e1',
      latest: 9,
    };
    expect(
      planAfterNotRecoverable({ uid: '42', since: s, sinceTs, catchup, latest: null, now: NOW }),
    ).toEqual({ kind: 'nothing' });
  });
});

describe('holeAfterBackfill', () => {
  it.each([
    [
      'replay_cap, fetched from the next offset: no hole',
      span({}),
      { offset: 101, ts: 1_000_100 },
      undefined,
    ],
    [
      'replay_cap, trimmed meanwhile: the start is a hole',
      span({}),
      { offset: 201, ts: 1_010_000 },
      { uid: '42', from: SINCE_TS, to: 1_010_000, reason: 'beyond_window', missing: 100 },
    ],
    [
      'beyond_window: hole up to the first fix fetched',
      span({ reason: 'beyond_window', hole: { fromTs: SINCE_TS, reason: 'beyond_window' } }),
      { offset: 5_000, ts: 1_500_000 },
      { uid: '42', from: SINCE_TS, to: 1_500_000, reason: 'beyond_window', missing: 4_899 },
    ],
    [
      'epoch_changed: a hole even when the new epoch is complete (the old one’s tail is gone)',
      span({
        epoch: 'e2',
        afterOffset: 0,
        toOffset: 40,
        hole: { fromTs: SINCE_TS, reason: 'epoch_changed' },
      }),
      { offset: 1, ts: 1_200_000 },
      { uid: '42', from: SINCE_TS, to: 1_200_000, reason: 'epoch_changed' },
    ],
    [
      'nothing fetched at all: the whole span',
      span({}),
      undefined,
      { uid: '42', from: SINCE_TS, to: NOW, reason: 'beyond_window', missing: 12_000 },
    ],
  ])('%s', (_name, s, first, expected) => {
    expect(holeAfterBackfill(s, first, SINCE_TS)).toEqual(expected);
  });
});
