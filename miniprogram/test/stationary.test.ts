import { describe, expect, it } from 'vitest';
import type { Sample } from '../lib/stationary';
import { DEFAULT_SKIP, addsNothing, distanceMeters } from '../lib/stationary';

const T = 1_760_000_000_000;
// About 1.11 m of latitude per 0.00001 degree.
const at = (dLatMeters: number, accuracy: number, dt = 1000): Sample => ({
  latitude: 23.1 + dLatMeters / 111_195,
  longitude: 113.3,
  accuracy,
  ts: T + dt,
});
const last: Sample = { latitude: 23.1, longitude: 113.3, accuracy: 10, ts: T };

describe('distanceMeters', () => {
  it('measures a degree of latitude as about 111 km', () => {
    expect(distanceMeters(last, { ...last, latitude: 24.1 })).toBeCloseTo(111_195, -1);
  });
});

describe('addsNothing', () => {
  it.each<[string, Sample | undefined, Sample, boolean]>([
    ['the first fix always counts', undefined, at(0, 10), false],
    ['same place, same accuracy', last, at(0, 10), true],
    ['moved less than the accuracy', last, at(8, 10), true],
    ['moved more than the accuracy', last, at(12, 10), false],
    ['moved 4 m with 2 m accuracy: below the 5 m noise floor', { ...last, accuracy: 2 }, at(4, 2), true],
    ['moved 6 m with 2 m accuracy', { ...last, accuracy: 2 }, at(6, 2), false],
    ['a poor new fix widens the radius', last, at(40, 65), true],
    ['accuracy much better (GPS after cell tower)', { ...last, accuracy: 65 }, at(3, 8), false],
    ['accuracy a little better', { ...last, accuracy: 12 }, at(3, 8), true],
    ['unknown accuracy (0) uses the noise floor', { ...last, accuracy: 0 }, at(6, 0), false],
    ['stationary but the heartbeat is due', last, at(0, 10, DEFAULT_SKIP.heartbeatMs), false],
    ['stationary just before the heartbeat', last, at(0, 10, DEFAULT_SKIP.heartbeatMs - 1), true],
  ])('%s → %s', (_name, previous, next, expected) => {
    expect(addsNothing(previous, next)).toBe(expected);
  });
});
