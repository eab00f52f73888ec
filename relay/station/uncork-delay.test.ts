import { describe, expect, it } from 'vitest';
import { BUSY_ROUND_FRAMES, BUSY_UNCORK_DELAY_MS, uncorkDelay } from './uncork-delay.js';

describe('uncorkDelay', () => {
  it.each([
    ['first round', 0, 'immediate'],
    ['one fix', 1, 'immediate'],
    ['a light burst', BUSY_ROUND_FRAMES - 1, 'immediate'],
    ['busy', BUSY_ROUND_FRAMES, BUSY_UNCORK_DELAY_MS],
    ['flood', 100_000, BUSY_UNCORK_DELAY_MS],
  ])('%s (%i frames last round)', (_name, frames, expected) => {
    expect(uncorkDelay(frames)).toBe(expected);
  });
});
