import { describe, expect, it } from 'vitest';
import { BUSY_GAP_MS, BUSY_ROUND_FRAMES, BUSY_UNCORK_DELAY_MS, uncorkDelay } from './uncork-delay.js';

describe('uncorkDelay', () => {
  it.each([
    ['first round', 0, Infinity, 'immediate'],
    ['one fix', 1, 0, 'immediate'],
    ['a light burst, back to back', BUSY_ROUND_FRAMES - 1, 0, 'immediate'],
    ['a large round, back to back', BUSY_ROUND_FRAMES, 0, BUSY_UNCORK_DELAY_MS],
    ['flood', 100_000, 0.05, BUSY_UNCORK_DELAY_MS],
    // One script call's batch (50 fixes × 3 watchers) every 5 ms at 10,000 fixes/s: nothing would join it.
    ['a large round after a pause', 150, 5, 'immediate'],
    ['a large round just past the gap', 150, BUSY_GAP_MS, 'immediate'],
  ])('%s (%i frames last round, %f ms since)', (_name, frames, gapMs, expected) => {
    expect(uncorkDelay(frames, gapMs)).toBe(expected);
  });
});
