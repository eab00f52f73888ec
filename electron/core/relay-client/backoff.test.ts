import { describe, expect, it } from 'vitest';
import { backoff, restartDelay, RESTART_WINDOW_MS, retryDelay } from './backoff.js';

const options = { baseMs: 500, maxMs: 30_000 };

describe('backoff (full jitter)', () => {
  it.each([
    // attempt, random, expected delay
    [0, 0, 0],
    [0, 0.5, 250],
    [0, 0.999, 499],
    [1, 0.5, 500],
    [3, 1, 4000],
    [5, 0.5, 8000],
    [6, 1, 30_000], // 32 s capped to 30 s
    [50, 1, 30_000],
    [-3, 1, 500], // nonsense attempts behave like the first
    [Number.MAX_SAFE_INTEGER, 0.25, 7500],
  ])('attempt %i with random %f waits %i ms', (attempt, random, expected) => {
    expect(backoff(attempt, options, () => random)).toBe(expected);
  });

  it('stays within [0, cap] for real randomness', () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const delay = backoff(attempt, options);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(30_000, 500 * 2 ** attempt));
    }
  });

  it.each([
    [0, RESTART_WINDOW_MS.min],
    [1, RESTART_WINDOW_MS.max],
    [0.5, (RESTART_WINDOW_MS.min + RESTART_WINDOW_MS.max) / 2],
  ])('restart delay with random %f is %i ms', (random, expected) => {
    expect(restartDelay(() => random)).toBe(Math.floor(expected));
  });
});

describe('retryDelay', () => {
  it.each([
    ['soon', 7, 0.5, Math.floor((RESTART_WINDOW_MS.min + RESTART_WINDOW_MS.max) / 2)],
    ['backoff', 0, 1, 500],
    ['backoff', 3, 1, 4000],
    ['max_backoff', 0, 1, 30_000],
    ['none', 5, 1, 0],
  ] as const)('%s after %i failures (random %f) → %i ms', (kind, failures, random, expected) => {
    expect(retryDelay(kind, failures, options, () => random)).toBe(expected);
  });
});
