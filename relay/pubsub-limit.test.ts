import { describe, expect, it } from 'vitest';
import { MIN_PUBSUB_BUFFER_BYTES, pubsubLimitProblem } from './pubsub-limit.js';

describe('pubsubLimitProblem', () => {
  it.each<[string, string, boolean]>([
    ['Redis 7 default', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', false],
    ['unlimited', 'normal 0 0 0 slave 0 0 0 pubsub 0 0 0', false],
    ['hard limit 1 MiB', 'normal 0 0 0 slave 0 0 0 pubsub 1048576 0 0', true],
    ['soft limit 512 KiB', 'normal 0 0 0 slave 0 0 0 pubsub 33554432 524288 60', true],
    ['exactly the minimum', `pubsub ${MIN_PUBSUB_BUFFER_BYTES} ${MIN_PUBSUB_BUFFER_BYTES} 60`, false],
    ['no pubsub class (another server)', 'normal 0 0 0', false],
  ])('%s → warn: %s', (_name, value, warn) => {
    expect(pubsubLimitProblem(value) !== undefined).toBe(warn);
  });
});
