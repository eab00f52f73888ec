import { describe, expect, it } from 'vitest';
import { formatClock, formatSpan } from './clock-text.js';

const bj = (iso: string) => Date.parse(`${iso}+08:00`);
const TZ = 'Asia/Shanghai';

describe('clock text', () => {
  it.each([
    [bj('2026-11-30T14:02:09'), 'en', false, '14:02'],
    [bj('2026-11-30T14:02:09'), 'zh-CN', true, '14:02:09'],
  ] as const)('formatClock(%i, %s, %s) = %s', (ms, locale, seconds, expected) => {
    expect(formatClock(ms, locale, seconds, TZ)).toBe(expected);
  });

  it.each([
    [bj('2026-11-30T14:02:00'), bj('2026-11-30T14:32:00'), '14:02–14:32'],
    [bj('2026-11-30T23:50:00'), bj('2026-12-01T00:20:00'), '11/30 23:50–12/01 00:20'],
    // A short gap to the second, else a 29 s one reads "14:15–14:15".
    [bj('2026-11-30T14:15:02'), bj('2026-11-30T14:15:31'), '14:15:02–14:15:31'],
    [bj('2026-11-30T14:08:10'), bj('2026-11-30T14:09:23'), '14:08:10–14:09:23'],
  ])('formatSpan = %s', (from, to, expected) => {
    expect(formatSpan(from, to, 'en', TZ)).toBe(expected);
  });
});
