import { describe, expect, it } from 'vitest';
import {
  customInputsFrom,
  fromLocalInput,
  presetRange,
  startOfLocalDay,
  rangeProblem,
  toLocalInput,
  validRange,
} from './time-presets.js';

// 2026-11-27T02:30:00Z = 10:30 in Beijing (UTC+8).
const NOW = Date.UTC(2026, 10, 27, 2, 30);
const BEIJING = 480;

describe('presetRange', () => {
  it.each([
    ['lastHour', 0, { from: NOW - 3_600_000, to: NOW }],
    ['last24h', 0, { from: NOW - 86_400_000, to: NOW }],
    ['today', 0, { from: Date.UTC(2026, 10, 27), to: NOW }],
    ['today', BEIJING, { from: Date.UTC(2026, 10, 26, 16), to: NOW }],
    ['yesterday', BEIJING, { from: Date.UTC(2026, 10, 25, 16), to: Date.UTC(2026, 10, 26, 16) - 1 }],
    ['yesterday', -300, { from: Date.UTC(2026, 10, 25, 5), to: Date.UTC(2026, 10, 26, 5) - 1 }],
    ['custom', BEIJING, undefined],
  ] as const)('%s at UTC%+d', (preset, offset, expected) => {
    expect(presetRange(preset, NOW, offset)).toEqual(expected);
  });
});

describe('startOfLocalDay', () => {
  it.each([
    [Date.UTC(2026, 10, 26, 15, 59), BEIJING, Date.UTC(2026, 10, 25, 16)],
    [Date.UTC(2026, 10, 26, 16, 0), BEIJING, Date.UTC(2026, 10, 26, 16)],
    [Date.UTC(2026, 10, 26, 23, 0), 0, Date.UTC(2026, 10, 26)],
  ])('%i at %i → %i', (ms, offset, expected) => {
    expect(startOfLocalDay(ms, offset)).toBe(expected);
  });
});

describe('datetime-local values', () => {
  it.each([
    [NOW, BEIJING, '2026-11-27T10:30'],
    [NOW, 0, '2026-11-27T02:30'],
  ])('%i at %i ↔ %s', (ms, offset, text) => {
    expect(toLocalInput(ms, offset)).toBe(text);
    expect(fromLocalInput(text, offset)).toBe(ms);
  });

  it.each([
    [NOW + 15_000, BEIJING, '2026-11-27T10:30:15'],
    [NOW + 15_999, 0, '2026-11-27T02:30:15'],
    [NOW, BEIJING, '2026-11-27T10:30:00'],
    [Date.UTC(2026, 10, 26, 15, 59, 59), BEIJING, '2026-11-26T23:59:59'],
  ])('%i at %i ↔ %s, to the second', (ms, offset, text) => {
    expect(toLocalInput(ms, offset, true)).toBe(text);
    expect(fromLocalInput(text, offset)).toBe(ms - (ms % 1000));
  });

  it.each(['', '2026-11-27', 'yesterday', '2026-13-45T99:99'])('refuses %j', (text) => {
    expect(fromLocalInput(text, 0)).toBeUndefined();
  });
});

describe('rangeProblem', () => {
  it.each([
    [{ from: 1, to: 2 }, undefined],
    [{ to: 2 }, 'noStart'],
    [{ from: 1 }, 'noEnd'],
    [{}, 'noStart'],
    [{ from: Number.NaN, to: 2 }, 'noStart'],
    [{ from: 1, to: Number.NaN }, 'noEnd'],
    [{ from: 2, to: 2 }, 'order'],
    [{ from: 3, to: 2 }, 'order'],
  ])('%j → %s', (range, expected) => {
    expect(rangeProblem(range)).toBe(expected);
  });
});

describe('validRange', () => {
  it.each([
    [{ from: 1, to: 2 }, true],
    [{ from: 2, to: 2 }, false],
    [{ from: 3, to: 2 }, false],
    [{ from: 1 }, false],
    [{ from: Number.NaN, to: 2 }, false],
  ])('%j → %s', (range, expected) => {
    expect(validRange(range)).toBe(expected);
  });
});

describe('customInputsFrom', () => {
  it.each([
    ['lastHour', { from: '2026-11-27T09:30', to: '2026-11-27T10:30' }],
    ['today', { from: '2026-11-27T00:00', to: '2026-11-27T10:30' }],
    ['yesterday', { from: '2026-11-26T00:00', to: '2026-11-26T23:59' }],
    ['custom', { from: '2026-11-27T09:30', to: '2026-11-27T10:30' }],
  ] as const)('from %s: the same period, as of now, in Beijing', (previous, expected) => {
    expect(customInputsFrom(previous, NOW, BEIJING)).toEqual(expected);
  });
});
