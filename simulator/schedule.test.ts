import { describe, expect, it } from 'vitest';
import { createRandom } from './random.js';
import { neededTicks, PlanError, planEvents, type PlanRequest } from './schedule.js';

const cases: [string, PlanRequest][] = [
  ['nothing planned', { spanTicks: 100, stopTicks: [], dropoutTicks: [], minGapTicks: 5 }],
  ['one stop', { spanTicks: 100, stopTicks: [10], dropoutTicks: [], minGapTicks: 5 }],
  [
    'a day of stops and dropouts',
    { spanTicks: 86_400, stopTicks: [600, 1800, 300], dropoutTicks: [60, 600], minGapTicks: 300 },
  ],
  ['exactly full', { spanTicks: 3 * 2 + 4 + 5, stopTicks: [4], dropoutTicks: [5], minGapTicks: 2 }],
];

describe('planEvents', () => {
  it.each(cases)('%s: every event fits, in order, apart by the gap, lengths as asked', (_name, request) => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const events = planEvents(request, createRandom(seed));
      expect(
        events
          .filter((e) => e.kind === 'stop')
          .map((e) => e.to - e.from)
          .sort(),
      ).toEqual([...request.stopTicks].sort());
      expect(
        events
          .filter((e) => e.kind === 'dropout')
          .map((e) => e.to - e.from)
          .sort(),
      ).toEqual([...request.dropoutTicks].sort());
      let previousEnd = 0;
      for (const event of events) {
        expect(event.from - previousEnd).toBeGreaterThanOrEqual(request.minGapTicks);
        previousEnd = event.to;
      }
      expect(request.spanTicks - previousEnd).toBeGreaterThanOrEqual(request.minGapTicks);
    }
  });

  it('is the same for the same seed and spreads events differently for another', () => {
    const request = cases[2]![1];
    expect(planEvents(request, createRandom(8))).toEqual(planEvents(request, createRandom(8)));
    expect(planEvents(request, createRandom(8))).not.toEqual(planEvents(request, createRandom(9)));
  });

  it.each([
    [
      'more than the span holds',
      { spanTicks: 10, stopTicks: [5], dropoutTicks: [], minGapTicks: 3 },
      /need 11 ticks/,
    ],
    [
      'a zero-length stop',
      { spanTicks: 100, stopTicks: [0], dropoutTicks: [], minGapTicks: 1 },
      /whole ticks/,
    ],
    [
      'a fractional dropout',
      { spanTicks: 100, stopTicks: [], dropoutTicks: [1.5], minGapTicks: 1 },
      /whole ticks/,
    ],
  ] as const)('refuses %s with a PlanError', (_name, request, message) => {
    expect(() => planEvents(request, createRandom(1))).toThrow(PlanError);
    expect(() => planEvents(request, createRandom(1))).toThrow(message);
  });

  it('neededTicks counts events and one gap more than events', () => {
    expect(neededTicks({ stopTicks: [4], dropoutTicks: [5], minGapTicks: 2 })).toBe(15);
  });
});
