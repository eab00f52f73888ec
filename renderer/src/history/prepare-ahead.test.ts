import { describe, expect, it } from 'vitest';
import { nextPreparation } from './prepare-ahead.js';

const at = (iso: string) => Date.parse(iso);

describe('nextPreparation', () => {
  it.each([
    // [now, offset, from, to, asked again at]
    ['2026-12-01T00:30:00Z', 480, '2026-11-29T16:00:00Z', '2026-11-30T15:59:59.999Z', '2026-12-01T16:05:00Z'],
    ['2026-12-01T15:59:59Z', 480, '2026-11-29T16:00:00Z', '2026-11-30T15:59:59.999Z', '2026-12-01T16:05:00Z'],
    ['2026-12-01T16:00:00Z', 480, '2026-11-30T16:00:00Z', '2026-12-01T15:59:59.999Z', '2026-12-02T16:05:00Z'],
    ['2026-12-01T12:00:00Z', 0, '2026-11-30T00:00:00Z', '2026-11-30T23:59:59.999Z', '2026-12-02T00:05:00Z'],
    [
      '2026-12-01T03:00:00Z',
      -300,
      '2026-11-29T05:00:00Z',
      '2026-11-30T04:59:59.999Z',
      '2026-12-01T05:05:00Z',
    ],
  ])('at %s (UTC%+d min) asks for yesterday and again after midnight', (now, offset, from, to, again) => {
    const { period, againAt } = nextPreparation(at(now), offset);
    expect(period).toEqual({ from: at(from), to: at(to) });
    expect(againAt).toBe(at(again));
  });
});
