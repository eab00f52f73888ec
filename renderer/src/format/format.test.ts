import { describe, expect, it } from 'vitest';
import { formatDistance, formatDuration, formatSpeed, formatTime } from './format.js';

describe('formatDistance', () => {
  it.each([
    [0, 'en', '0 m'],
    [849.6, 'en', '850 m'],
    [1234.5, 'en', '1.23 km'],
    [123_456, 'en', '123.5 km'],
    [1_234_567, 'en', '1,234.6 km'],
    [849.6, 'zh-CN', '850 米'],
    [1234.5, 'zh-CN', '1.23 公里'],
    [-1, 'en', '–'],
    [Number.NaN, 'zh-CN', '–'],
  ] as const)('%s m in %s → %s', (metres, locale, expected) => {
    expect(formatDistance(metres, locale)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, 'en', '0 s'],
    [42_400, 'en', '42 s'],
    [125_000, 'en', '2 min 05 s'],
    [3_600_000 + 5 * 60_000, 'en', '1 h 05 min'],
    [26 * 3_600_000, 'en', '26 h 00 min'],
    [42_000, 'zh-CN', '42秒'],
    [125_000, 'zh-CN', '2分05秒'],
    [3_900_000, 'zh-CN', '1小时05分'],
    [-5, 'en', '–'],
  ] as const)('%s ms in %s → %s', (ms, locale, expected) => {
    expect(formatDuration(ms, locale)).toBe(expected);
  });
});

describe('formatSpeed', () => {
  it.each([
    [0, 'en', '0.0 km/h'],
    [10, 'en', '36.0 km/h'],
    [1.5, 'zh-CN', '5.4 公里/时'],
    [Number.NaN, 'en', '–'],
  ] as const)('%s m/s in %s → %s', (mps, locale, expected) => {
    expect(formatSpeed(mps, locale)).toBe(expected);
  });
});

describe('formatTime', () => {
  it.each([
    ['en', 'UTC', '11/27/2026, 02:30:05'],
    ['zh-CN', 'Asia/Shanghai', '2026/11/27 10:30:05'],
  ] as const)('%s in %s', (locale, zone, expected) => {
    expect(formatTime(Date.UTC(2026, 10, 27, 2, 30, 5), locale, zone)).toBe(expected);
  });
});
