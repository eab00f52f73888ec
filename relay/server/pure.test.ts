import { describe, expect, it } from 'vitest';
import { isStationPath, tokenFromRequest } from '../auth/request-token.js';
import { reconnectDelayMs } from '../redis.js';
import { drainSchedule } from './drain.js';
import { tokenTimes } from './token-timers.js';

describe('drainSchedule', () => {
  it.each([
    [0, 1000, []],
    [1, 1000, [0]],
    [4, 1000, [0, 250, 500, 750]],
    [3, 0, [0, 0, 0]],
  ])('%i stations over %i ms', (count, windowMs, expected) => {
    expect(drainSchedule(count, windowMs)).toEqual(expected);
  });
});

describe('tokenTimes', () => {
  it.each([
    ['far from expiry', 100_000, 0, 60_000, { warnInMs: 40_000, expireInMs: 100_000 }],
    ['inside the warning lead', 30_000, 0, 60_000, { warnInMs: 0, expireInMs: 30_000 }],
    ['already expired', 0, 5000, 60_000, { warnInMs: 0, expireInMs: 0 }],
  ])('%s', (_name, expiresAt, now, lead, expected) => {
    expect(tokenTimes(expiresAt, now, lead)).toEqual(expected);
  });
});

describe('tokenFromRequest', () => {
  it.each([
    ['bearer header', 'Bearer abc.def.ghi', '/', 'abc.def.ghi'],
    ['lowercase scheme', 'bearer t', '/', 't'],
    ['query parameter', undefined, '/?token=q.q.q', 'q.q.q'],
    ['header wins over query', 'Bearer h', '/?token=q', 'h'],
    ['not a bearer header is passed on (and refused as malformed)', 'Basic xyz', '/', 'Basic xyz'],
    ['nothing', undefined, '/', undefined],
    ['empty query token', undefined, '/?token=', undefined],
  ])('%s', (_name, header, url, expected) => {
    expect(tokenFromRequest(header, url)).toBe(expected);
  });
});

describe('isStationPath', () => {
  it.each([
    ['/', true],
    ['/?token=x', true],
    ['/ws', false],
    ['/metrics', false],
    [undefined, false],
  ])('%s → %s', (url, expected) => {
    expect(isStationPath(url)).toBe(expected);
  });
});

describe('reconnectDelayMs', () => {
  it.each([
    [1, 0.999, 99],
    [1, 0, 10],
    [5, 0.5, 800],
    [30, 0.999, 1998],
  ])('attempt %i with random %f → %i ms', (attempt, random, expected) => {
    expect(reconnectDelayMs(attempt, () => random)).toBe(expected);
  });
});
