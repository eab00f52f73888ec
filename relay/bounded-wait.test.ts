import { describe, expect, it } from 'vitest';
import { settleWithin } from './bounded-wait.js';

describe('settleWithin', () => {
  it.each([
    ['a fulfilled promise', () => Promise.resolve('ok'), true],
    ['a rejected promise', () => Promise.reject(new Error('gone')), true],
    ['a promise that never settles', () => new Promise(() => undefined), false],
  ])('%s gives %s', async (_name, work, expected) => {
    expect(await settleWithin(work(), 20)).toBe(expected);
  });
});
