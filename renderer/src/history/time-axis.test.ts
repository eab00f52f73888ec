import { describe, expect, it } from 'vitest';
import { timeAxis } from './time-axis.js';

const bj = (iso: string) => Date.parse(`${iso}+08:00`);
const hhmm = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(11, 16);

describe('timeAxis', () => {
  it.each<[string, string, string, number, string[], string[]]>([
    // Yesterday at a wide timeline: every hour ticked, every second one labelled (56 px apart is 2 h here).
    [
      'a day, 720 px',
      '2026-11-30T00:00:00',
      '2026-11-30T23:59:59',
      720,
      ['02:00', '04:00', '06:00', '08:00', '10:00', '12:00', '14:00', '16:00', '18:00', '20:00', '22:00'],
      Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`),
    ],
    // Narrow: fewer labels, fewer ticks.
    ['a day, 300 px', '2026-11-30T00:00:00', '2026-11-30T23:59:59', 300, ['06:00', '12:00', '18:00'], []],
    // The last hour: the one local hour inside, labelled unless it crowds an edge label.
    ['an hour, 800 px', '2026-11-30T13:32:00', '2026-11-30T14:32:00', 800, ['14:00'], ['14:00']],
    [
      'an hour, 800 px, hour next to the end',
      '2026-11-30T13:02:00',
      '2026-11-30T14:02:00',
      800,
      [],
      ['14:00'],
    ],
    ['within an hour', '2026-11-30T13:05:00', '2026-11-30T13:55:00', 800, [], []],
    // Last 24 hours from 17:08: the dated start label "11/30 17:08" would run into 20:00 (86 px in): dropped.
    [
      'last 24 hours, 720 px',
      '2026-11-30T17:08:00',
      '2026-12-01T17:08:00',
      720,
      ['22:00', '00:00', '02:00', '04:00', '06:00', '08:00', '10:00', '12:00', '14:00'],
      [],
    ],
  ])('%s', (_name, from, to, width, labels, ticks) => {
    const axis = timeAxis(bj(from), bj(to), width, 480);
    expect(axis.ticks.filter((t) => t.label).map((t) => hhmm(t.t))).toEqual(labels);
    if (ticks.length > 0) expect(axis.ticks.map((t) => hhmm(t.t))).toEqual(ticks);
    for (const t of axis.ticks) expect(t.x).toBeCloseTo((t.t - bj(from)) / (bj(to) - bj(from)), 9);
  });

  it('a day at 120 px ticks every 2 hours, labels noon only (midnight is the start label)', () => {
    const axis = timeAxis(bj('2026-11-30T00:00:00'), bj('2026-11-30T23:59:59'), 120, 480);
    expect(axis.ticks.map((t) => hhmm(t.t))).toEqual(
      Array.from({ length: 12 }, (_, k) => `${String(2 * k).padStart(2, '0')}:00`),
    );
    expect(axis.ticks.filter((t) => t.label).map((t) => hhmm(t.t))).toEqual(['12:00']);
  });

  it('over midnight: the edges carry the date and midnight is marked for a date label', () => {
    const axis = timeAxis(bj('2026-11-30T20:00:00'), bj('2026-12-01T04:00:00'), 800, 480);
    expect(axis.edgeDates).toBe(true);
    expect(axis.ticks.filter((t) => t.midnight).map((t) => t.t)).toEqual([bj('2026-12-01T00:00:00')]);
    expect(timeAxis(bj('2026-11-30T13:00:00'), bj('2026-11-30T14:00:00'), 800, 480).edgeDates).toBe(false);
  });

  it('a week at 600 px labels days, not hours', () => {
    const axis = timeAxis(bj('2026-11-23T00:00:00'), bj('2026-11-30T00:00:00'), 600, 480);
    const labelled = axis.ticks.filter((t) => t.label);
    // The first and last day (86 px in) would touch the dated edge labels: the days between are labelled.
    expect(labelled.length).toBeGreaterThanOrEqual(4);
    expect(labelled.every((t) => t.midnight)).toBe(true);
  });

  it.each([
    [0, 1000, 0],
    [1000, 1000, 800],
    [1000, 0, 800],
  ])('nothing to draw for [%i, %i] at %i px', (from, to, width) => {
    expect(timeAxis(from, to, width, 480).ticks).toEqual([]);
  });
});
