import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

const options = { baseMs: 500, maxMs: 30_000 };

describe('backoffDelay (full jitter)', () => {
  it.each([
    // retry, random, expected delay
    [0, 0, 0],
    [0, 0.5, 250],
    [1, 0.5, 500],
    [3, 1, 4000],
    [6, 1, 30_000], // 32 s capped to 30 s
    [-3, 1, 500], // nonsense retries behave like the first
    [Number.MAX_SAFE_INTEGER, 0.25, 7500],
    [Number.POSITIVE_INFINITY, 0.25, 7500],
    [Number.NaN, 0.25, 7500],
  ])('retry %f with random %f waits %i ms', (retry, random, expected) => {
    expect(backoffDelay(retry, options, () => random)).toBe(expected);
  });
});

describe('the one backoff', () => {
  it('is carried verbatim by the mini-program, which cannot import code outside its folder at run time', () => {
    const source = readFileSync(new URL('./backoff.ts', import.meta.url), 'utf8');
    const copy = readFileSync(new URL('../miniprogram/lib/backoff.ts', import.meta.url), 'utf8');
    expect(copy).toBe(source);
  });
});
