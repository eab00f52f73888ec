import { describe, expect, it } from 'vitest';
import { classifyWriteError, isCorruptionCode } from './errors.js';
import { lockHolderState } from './lock.js';
import { ALWAYS_CHECK_BELOW_BYTES, chooseIntegrityCheck, corruptName } from './open-database.js';
import { DAY_MS, retentionCutoff } from './retention.js';
import { isStorableFix } from './rows.js';
import { PALETTE, defaultColor } from './watchlist.js';
import type { Fix } from '../../../protocol/fix.js';

describe('classifyWriteError', () => {
  it.each([
    ['SQLITE_FULL', 'STORE_DISK_FULL', true],
    ['SQLITE_IOERR_NOSPC', 'STORE_DISK_FULL', true],
    ['SQLITE_IOERR_WRITE', 'STORE_IO', true],
    ['SQLITE_BUSY', 'STORE_LOCKED', true],
    ['SQLITE_CONSTRAINT_NOTNULL', 'STORE_WRITE_FAILED', false],
    [undefined, 'STORE_WRITE_FAILED', false],
  ])('%s -> %s (retry %s)', (sqlite, code, retry) => {
    expect(classifyWriteError(sqlite)).toEqual({ code, retry });
  });
});

describe('isCorruptionCode', () => {
  it.each([
    ['SQLITE_NOTADB', true],
    ['SQLITE_CORRUPT', true],
    ['SQLITE_FULL', false],
    [undefined, false],
  ])('%s -> %s', (code, expected) => expect(isCorruptionCode(code)).toBe(expected));
});

describe('lockHolderState', () => {
  const alive = (pid: number) => pid === 100;
  it.each([
    ['100\n', 'held'],
    ['100', 'held'],
    ['101\n', 'stale'],
    ['', 'stale'],
    ['garbage', 'stale'],
    ['-5', 'stale'],
    ['7\n', 'stale'], // our own pid left over from a previous run of this process id
  ])('%j -> %s', (content, expected) => expect(lockHolderState(content, 7, alive)).toBe(expected));
});

describe('corruptName', () => {
  it('puts a sortable, filesystem-safe UTC time after the name', () => {
    expect(corruptName('/data/lodestar.db', new Date('2026-11-27T03:15:00.123Z'))).toBe(
      '/data/lodestar.db.corrupt-20261127T031500123Z',
    );
  });
});

describe('retentionCutoff', () => {
  it.each([
    [0, undefined],
    [-1, undefined],
    [Number.NaN, undefined],
    [1, 10 * DAY_MS - DAY_MS],
    [7, 10 * DAY_MS - 7 * DAY_MS],
  ])('%s days', (days, expected) => expect(retentionCutoff(days, 10 * DAY_MS)).toBe(expected));
});

describe('isStorableFix', () => {
  const ok: Fix = { uid: '42', lat: 39.9, lon: 116.4, ts: 1_780_000_000_000, crs: 'gcj02' };
  it.each([
    ['a canonical fix', ok, true],
    ['a positioned fix', { ...ok, epoch: 'e', offset: 3 }, true],
    ['an epoch without offset', { ...ok, epoch: 'e' }, false],
    ['a bad uid', { ...ok, uid: 'a b' }, false],
    ['NaN latitude', { ...ok, lat: Number.NaN }, false],
    ['latitude out of range', { ...ok, lat: 91 }, false],
    ['fractional ts', { ...ok, ts: 1.5 }, false],
    ['unknown crs', { ...ok, crs: 'utm' as Fix['crs'] }, false],
    ['null', null as unknown as Fix, false],
  ])('%s -> %s', (_name, fix, expected) => expect(isStorableFix(fix)).toBe(expected));
});

describe('defaultColor', () => {
  it.each(['1', '42', 'member-7', 'x'.repeat(64)])('%s gets a stable palette colour', (uid) => {
    expect(PALETTE).toContain(defaultColor(uid));
    expect(defaultColor(uid)).toBe(defaultColor(uid));
  });
});

describe('chooseIntegrityCheck', () => {
  it.each([
    [true, 0, 'quick'],
    [true, 10 * ALWAYS_CHECK_BELOW_BYTES, 'quick'],
    [false, 0, 'quick'],
    [false, ALWAYS_CHECK_BELOW_BYTES - 1, 'quick'],
    [false, ALWAYS_CHECK_BELOW_BYTES, 'none'],
  ] as const)('unclean %s, %i bytes -> %s', (unclean, size, expected) => {
    expect(chooseIntegrityCheck(unclean, size)).toBe(expected);
  });
});
