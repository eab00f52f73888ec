import { describe, expect, it } from 'vitest';
import { createFleet, type FleetSettings, fleetTick, hourlyPlan } from './fleet.js';
import { AREAS, haversineM } from './plane.js';
import { createRandom } from './random.js';

const settings: FleetSettings = {
  seed: 12,
  members: 5,
  firstUid: 42,
  hz: 1,
  startMs: Date.UTC(2026, 11, 1),
  centre: AREAS.shenzhen,
  crs: 'gcj02',
  kinds: ['scooter', 'walk'],
  jitterM: 10,
  jitterCorrelationMs: 20_000,
  blockM: 200,
  radiusM: 3_000,
  stopsPerHour: 1,
  dropoutsPerHour: 0.5,
  stopMs: [2 * 60_000, 15 * 60_000],
  dropoutMs: [20_000, 180_000],
};

describe('fleet', () => {
  it('gives each member its uid and cycles the kinds', () => {
    const fleet = createFleet(settings);
    expect(fleet.uids).toEqual(['42', '43', '44', '45', '46']);
    expect(fleet.kinds).toEqual(['scooter', 'walk', 'scooter', 'walk', 'scooter']);
  });

  it('sends one fix per member per tick (none in dropouts), in time, near the centre; the same for the same seed', () => {
    const run = () => {
      const fleet = createFleet(settings);
      return Array.from({ length: 2 * 3600 }, () => fleetTick(fleet));
    };
    const ticks = run();
    expect(run()).toEqual(ticks);
    const all = ticks.flat();
    expect(all.length).toBeLessThanOrEqual(5 * 2 * 3600);
    expect(all.length).toBeGreaterThan(5 * 2 * 3600 * 0.9);
    ticks.forEach((fixes, k) => {
      expect(new Set(fixes.map((f) => f.uid)).size).toBe(fixes.length);
      for (const f of fixes) expect(f.ts).toBe(settings.startMs + k * 1000);
    });
    const farthest = Math.max(...all.map((f) => haversineM(f, AREAS.shenzhen)));
    expect(farthest).toBeLessThan(settings.radiusM * 2 + 1000);
    // Someone stopped at some point within two hours.
    expect(all.some((f) => f.speed === 0)).toBe(true);
  });

  it.each([
    [1, 0.5, 1],
    [6, 10, 1],
    [6, 10, 0.05],
    [0, 0, 1],
  ])(
    'an hour with %d stops and %d dropouts per hour at %d Hz always fits in the hour',
    (stops, dropouts, hz) => {
      const plan = hourlyPlan({ ...settings, stopsPerHour: stops, dropoutsPerHour: dropouts, hz });
      const random = createRandom(1);
      for (let h = 0; h < 50; h++) {
        const events = plan(h, random);
        const last = events.at(-1);
        if (last) expect(last.to).toBeLessThanOrEqual(Math.round(3600 * hz));
        if (stops === 0 && dropouts === 0) expect(events).toEqual([]);
      }
    },
  );
});
