import { describe, expect, it } from 'vitest';
import { Pacer, refill, stationPace, waitForToken } from './pacer.js';

const limits = { ratePerSecond: 10, burst: 30 };

describe('token bucket', () => {
  it.each([
    // tokens, elapsed ms, tokens after refill, wait ms for the next token
    [30, 0, 30, 0],
    [0, 0, 0, 100],
    [0, 50, 0.5, 50],
    [0.5, 0, 0.5, 50],
    [29, 10_000, 30, 0], // capped at the burst
  ])('%f tokens, %i ms later → %f tokens, wait %i ms', (tokens, elapsed, after, wait) => {
    const bucket = refill({ tokens, at: 1_000 }, limits, 1_000 + elapsed);
    expect(bucket.tokens).toBeCloseTo(after);
    expect(waitForToken(bucket, limits)).toBe(wait);
  });

  it.each([
    [
      { ratePerSecond: 20, burst: 60 },
      { ratePerSecond: 10, burst: 30 },
    ],
    [
      { ratePerSecond: 1, burst: 1 },
      { ratePerSecond: 1, burst: 1 },
    ],
  ])('the station keeps below the relay’s %j: %j', (relay, station) => {
    expect(stationPace(relay)).toEqual(station);
  });
});

describe('Pacer', () => {
  it('sends a burst at once, then one message per token, in order', async () => {
    let now = 0;
    const sent: number[] = [];
    const pacer = new Pacer<number>(
      { ratePerSecond: 100, burst: 3 },
      (m) => sent.push(m),
      () => now,
    );
    for (let i = 0; i < 6; i++) pacer.send(i);
    expect(sent).toEqual([0, 1, 2]);
    expect(pacer.queued).toBe(3);
    now = 25; // 2.5 tokens later
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sent.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    pacer.close();
    expect(pacer.queued).toBe(0);
  });
});
