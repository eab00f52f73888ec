import { describe, expect, it } from 'vitest';
import { errorBoundM, type JitterSettings, NO_JITTER, reportedAccuracy, stepJitter } from './jitter.js';
import { createRandom } from './random.js';

function run(settings: JitterSettings, steps: number, dtMs = 1000) {
  const random = createRandom(21);
  const states = [];
  let state = NO_JITTER;
  for (let i = 0; i < steps; i++) states.push((state = stepJitter(state, settings, dtMs, random)));
  return states;
}

describe('GPS error', () => {
  it.each([
    { typicalM: 0, correlationMs: 20_000 },
    { typicalM: 5, correlationMs: 0 },
    { typicalM: 10, correlationMs: 20_000 },
    { typicalM: 65, correlationMs: 60_000 },
  ])('never exceeds the accuracy reported with it (%o)', (settings) => {
    for (const state of run(settings, 5_000)) {
      expect(Math.hypot(state.dx, state.dy)).toBeLessThanOrEqual(errorBoundM(settings, state) + 1e-9);
      expect(reportedAccuracy(settings, state)).toBeGreaterThanOrEqual(Math.hypot(state.dx, state.dy));
      expect(reportedAccuracy(settings, state)).toBeGreaterThanOrEqual(1);
    }
  });

  it('reported accuracy stays within ±30 % of the typical value (whole metres)', () => {
    const settings = { typicalM: 20, correlationMs: 20_000 };
    const accuracies = run(settings, 20_000).map((s) => reportedAccuracy(settings, s));
    expect(Math.min(...accuracies)).toBeGreaterThanOrEqual(14);
    expect(Math.max(...accuracies)).toBeLessThanOrEqual(26);
    expect(new Set(accuracies).size).toBeGreaterThan(3);
  });

  it('zero typical error gives exact fixes', () => {
    for (const state of run({ typicalM: 0, correlationMs: 0 }, 100))
      expect(Math.hypot(state.dx, state.dy)).toBe(0);
  });

  it.each([
    [0, 0.9],
    [20_000, 0.25],
  ])(
    'correlation time %d ms: mean change per second is under %d of the typical error',
    (correlationMs, share) => {
      const settings = { typicalM: 10, correlationMs };
      const states = run(settings, 10_000);
      let change = 0;
      for (let i = 1; i < states.length; i++)
        change += Math.hypot(states[i]!.dx - states[i - 1]!.dx, states[i]!.dy - states[i - 1]!.dy);
      const mean = change / (states.length - 1) / settings.typicalM;
      expect(mean).toBeLessThan(share);
      if (correlationMs === 0) expect(mean).toBeGreaterThan(0.4);
    },
  );
});
