import { describe, expect, it } from 'vitest';
import { ControlRateLimiter } from './rate-limiter.js';

describe('ControlRateLimiter', () => {
  it('allows a burst, then refuses, then refills at the rate', () => {
    const l = new ControlRateLimiter({ ratePerSecond: 2, burst: 3, abuseThreshold: 100 }, 0);
    expect([l.take(0), l.take(0), l.take(0), l.take(0)]).toEqual(['allow', 'allow', 'allow', 'refuse']);
    expect(l.take(400)).toBe('refuse');
    expect(l.take(500)).toBe('allow'); // 0.5 s at 2/s = one token
    expect(l.take(10_000)).toBe('allow');
  });

  it('reports abuse after too many refusals in a row, and forgives after an allowed message', () => {
    const l = new ControlRateLimiter({ ratePerSecond: 1, burst: 1, abuseThreshold: 3 }, 0);
    expect([l.take(0), l.take(0), l.take(0)]).toEqual(['allow', 'refuse', 'refuse']);
    expect(l.take(1000)).toBe('allow');
    expect([l.take(1000), l.take(1000), l.take(1000)]).toEqual(['refuse', 'refuse', 'abuse']);
  });
});
