import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { until } from '../../../test/support/wait.js';
import { CatchingUp } from './catching-up.js';

const silent = pino({ level: 'silent' });

function tracker(options: { stallMs?: number; maxMs?: number } = {}): {
  catchingUp: CatchingUp;
  counts: number[];
} {
  const counts: number[] = [];
  const catchingUp = new CatchingUp({
    onChange: (n) => counts.push(n),
    logger: silent,
    now: Date.now,
    ...options,
  });
  return { catchingUp, counts };
}

describe('CatchingUp', () => {
  it('holds a member from its watch until its replay is done; a live answer ends it at once', () => {
    const { catchingUp, counts } = tracker();
    catchingUp.expect(['a', 'b']);
    expect(counts).toEqual([2]);
    catchingUp.answered('a', false);
    catchingUp.answered('b', true);
    expect(catchingUp.count).toBe(1);
    catchingUp.done(['b']);
    expect(catchingUp.count).toBe(0);
    // None and some are reported at once; 2 → 1 is coalesced and overtaken by 0.
    expect(counts).toEqual([2, 0]);
    catchingUp.close();
  });

  it('gives up a catch-up the relay never finishes, so judgement is not held forever', async () => {
    const { catchingUp, counts } = tracker({ stallMs: 200 });
    catchingUp.expect(['a']);
    catchingUp.answered('a', true);
    await until(() => counts.at(-1) === 0, { what: 'the stalled catch-up given up' });
    expect(catchingUp.count).toBe(0);
    catchingUp.close();
  });

  it('gives up even a catch-up that keeps making progress, after the overall bound', async () => {
    const { catchingUp, counts } = tracker({ stallMs: 60_000, maxMs: 300 });
    catchingUp.expect(['a']);
    const timer = setInterval(() => catchingUp.progress(), 20);
    await until(() => counts.at(-1) === 0, { what: 'the endless catch-up given up' });
    clearInterval(timer);
    catchingUp.close();
  });
});
