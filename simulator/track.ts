/**
 * One simulated member, tick by tick: where it truly is (on the streets, or standing at a stop), and the fix its
 * phone reports (that place plus GPS error, or nothing during a dropout). Pure and lazy: a generator of ticks, so
 * the live simulator pulls one tick per member per period and a generated day pulls 86,400 in a loop.
 *
 * Motion, speed, error and plan each draw from their own random stream, so a day generated with more jitter, or
 * with other stops, keeps the same streets and speeds where it can.
 */
import type { LonLat } from '../protocol/crs.js';
import type { Fix } from '../protocol/fix.js';
import { type JitterSettings, NO_JITTER, reportedAccuracy, stepJitter } from './jitter.js';
import { planeToCrs, type PlanePoint, type SimulatedCrs } from './plane.js';
import { forkRandom, gaussian, type Random } from './random.js';
import type { PlannedEvent } from './schedule.js';
import { advanceAlongStreets, randomStreetPosition, type StreetGrid, streetPoint } from './streets.js';

export const MEMBER_KINDS = ['walk', 'scooter', 'car'] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];

/** Typical speeds on city streets, m/s, and how far a member's speed wanders from them. */
export const KIND_SPEEDS: Record<MemberKind, { meanMps: number; spreadMps: number }> = {
  walk: { meanMps: 1.4, spreadMps: 0.2 },
  scooter: { meanMps: 6, spreadMps: 1.5 },
  car: { meanMps: 10, spreadMps: 3 },
};

/** How long a speed persists before it drifts to another, ms. */
const SPEED_CORRELATION_MS = 60_000;

export interface TrackSettings {
  uid: string;
  /** This member's seed (its path, speed, errors and plan all follow from it). */
  seed: number;
  startMs: number;
  /** Fixes per second while the phone reports. */
  hz: number;
  /** WGS-84 centre of the area. */
  centre: LonLat;
  /** Coordinate system of the fixes (what the phone and PHP send): gcj02 or wgs84. */
  crs: SimulatedCrs;
  kind: MemberKind;
  grid: StreetGrid;
  jitter: JitterSettings;
  /** Ticks per planning horizon; `plan` is asked for each horizon's stops and dropouts as the track reaches it. */
  horizonTicks: number;
  plan(horizon: number, random: Random): PlannedEvent[];
}

export interface TrackTick {
  tick: number;
  ts: number;
  /** True place at this tick (plane metres) and whether the member is standing still at it. */
  truth: PlanePoint;
  stationary: boolean;
  /** True path length since the previous tick, metres; 0 at tick 0 and at a stop. */
  stepM: number;
  /** Where the true path bent since the previous tick, with the time it passed there. */
  bends: { point: PlanePoint; ts: number }[];
  /** The stop or dropout this tick is in, if any. */
  event: PlannedEvent | undefined;
  /** What the phone reports; undefined during a dropout. */
  fix: Fix | undefined;
}

export function tickTime(startMs: number, hz: number, tick: number): number {
  return startMs + Math.round((tick * 1000) / hz);
}

const STREAM = { plan: 1, motion: 2, speed: 3, jitter: 4, start: 5 } as const;

export function* simulateTrack(settings: TrackSettings): Generator<TrackTick, never, undefined> {
  const { grid, hz, startMs, jitter: jitterSettings } = settings;
  const planRandom = forkRandom(settings.seed, STREAM.plan);
  const motionRandom = forkRandom(settings.seed, STREAM.motion);
  const speedRandom = forkRandom(settings.seed, STREAM.speed);
  const jitterRandom = forkRandom(settings.seed, STREAM.jitter);
  const { meanMps, spreadMps } = KIND_SPEEDS[settings.kind];

  let at = randomStreetPosition(grid, forkRandom(settings.seed, STREAM.start), grid.radiusM * 0.5);
  let speedLevel = 0;
  let error = NO_JITTER;
  let events: PlannedEvent[] = [];
  let planned = -1;

  for (let tick = 0; ; tick++) {
    const horizon = Math.floor(tick / settings.horizonTicks);
    if (horizon > planned) {
      const offset = horizon * settings.horizonTicks;
      events = settings
        .plan(horizon, planRandom)
        .map((e) => ({ kind: e.kind, from: e.from + offset, to: e.to + offset }));
      planned = horizon;
    }
    const ts = tickTime(startMs, hz, tick);
    const previousTs = tickTime(startMs, hz, tick - 1);
    const dtMs = ts - previousTs;
    const stop = events.find((e) => e.kind === 'stop' && e.from <= tick && tick <= e.to);
    const dropout = events.find((e) => e.kind === 'dropout' && e.from <= tick && tick < e.to);
    const stoppedSinceLastTick = stop !== undefined && stop.from <= tick - 1;

    const rho = Math.exp(-dtMs / SPEED_CORRELATION_MS);
    speedLevel = rho * speedLevel + Math.sqrt(1 - rho * rho) * gaussian(speedRandom);
    const speedMps = Math.max(0.3 * meanMps, meanMps + spreadMps * Math.max(-2, Math.min(2, speedLevel)));

    let stepM = 0;
    const bends: TrackTick['bends'] = [];
    if (tick > 0 && !stoppedSinceLastTick) {
      stepM = (speedMps * dtMs) / 1000;
      const moved = advanceAlongStreets(grid, at, stepM, motionRandom);
      at = moved.at;
      for (const bend of moved.bends)
        bends.push({ point: bend.point, ts: previousTs + (dtMs * bend.afterM) / stepM });
    }
    const truth = streetPoint(grid, at);
    error = stepJitter(error, jitterSettings, dtMs, jitterRandom);

    // Drawn on every tick, so stops and dropouts elsewhere do not change this member's later speeds.
    const speedNoise = 0.05 * gaussian(speedRandom);
    let fix: Fix | undefined;
    if (!dropout) {
      const seen = planeToCrs(
        settings.centre,
        { x: truth.x + error.dx, y: truth.y + error.dy },
        settings.crs,
      );
      const reportedSpeed = stop ? 0 : Math.max(0, speedMps * (1 + speedNoise));
      fix = {
        uid: settings.uid,
        ts,
        lat: seen.lat,
        lon: seen.lon,
        crs: settings.crs,
        speed: Math.round(reportedSpeed * 100) / 100,
        accuracy: reportedAccuracy(jitterSettings, error),
      };
    }
    yield { tick, ts, truth, stationary: stop !== undefined, stepM, bends, event: stop ?? dropout, fix };
  }
}
