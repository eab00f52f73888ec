/**
 * The live simulator's members: N tracks sharing one area and one street grid (so they drive the same streets),
 * each with its own kind, seed and open-ended plan of stops and dropouts. Pure: `fleetTick` advances every member
 * by one tick and returns the fixes their phones send.
 */
import type { LonLat } from '../protocol/crs.js';
import type { Fix } from '../protocol/fix.js';
import { gridFor } from './day.js';
import type { SimulateOptions } from './options.js';
import type { SimulatedCrs } from './plane.js';
import { mix32, type Random, uniform } from './random.js';
import { planEvents, type PlannedEvent } from './schedule.js';
import { type MemberKind, simulateTrack, type TrackTick } from './track.js';

export interface FleetSettings {
  seed: number;
  members: number;
  /** uid of the first member; the others count up from it (the PHP backend's integer ids). */
  firstUid: number;
  hz: number;
  startMs: number;
  centre: LonLat;
  crs: SimulatedCrs;
  /** Cycled over the members. */
  kinds: readonly MemberKind[];
  jitterM: number;
  jitterCorrelationMs: number;
  blockM: number;
  radiusM: number;
  /** Mean stops and dropouts per member per hour (fractions allowed). */
  stopsPerHour: number;
  dropoutsPerHour: number;
  stopMs: readonly [number, number];
  dropoutMs: readonly [number, number];
}

const HOUR_MS = 3_600_000;

/** A count with mean `rate`: its whole part, plus one with the probability of its fraction. */
function countFor(rate: number, random: Random): number {
  const whole = Math.floor(rate);
  return whole + (random.next() < rate - whole ? 1 : 0);
}

/** Each hour's stops and dropouts; a busy hour that cannot hold them all drops the extra events. */
export function hourlyPlan(settings: FleetSettings): (horizon: number, random: Random) => PlannedEvent[] {
  const ticks = (ms: number) => Math.max(1, Math.round((ms * settings.hz) / 1000));
  const spanTicks = ticks(HOUR_MS);
  const minGapTicks = ticks(2 * 60_000);
  return (_horizon, random) => {
    const stopTicks = Array.from({ length: countFor(settings.stopsPerHour, random) }, () =>
      ticks(uniform(random, ...settings.stopMs)),
    );
    const dropoutTicks = Array.from({ length: countFor(settings.dropoutsPerHour, random) }, () =>
      ticks(uniform(random, ...settings.dropoutMs)),
    );
    for (;;) {
      const busy = [...stopTicks, ...dropoutTicks].reduce((s, n) => s + n, 0);
      if (busy + (stopTicks.length + dropoutTicks.length + 1) * minGapTicks <= spanTicks) break;
      if (dropoutTicks.length >= stopTicks.length) dropoutTicks.pop();
      else stopTicks.pop();
    }
    return planEvents({ spanTicks, stopTicks, dropoutTicks, minGapTicks }, random);
  };
}

export interface Fleet {
  uids: string[];
  kinds: MemberKind[];
  tracks: Generator<TrackTick, never, undefined>[];
}

export function createFleet(settings: FleetSettings): Fleet {
  const grid = gridFor(settings.seed, settings.blockM, settings.radiusM);
  const plan = hourlyPlan(settings);
  const uids: string[] = [];
  const kinds: MemberKind[] = [];
  const tracks = Array.from({ length: settings.members }, (_, i) => {
    const uid = String(settings.firstUid + i);
    const kind = settings.kinds[i % settings.kinds.length] as MemberKind;
    uids.push(uid);
    kinds.push(kind);
    return simulateTrack({
      uid,
      seed: mix32(settings.seed, i + 1),
      startMs: settings.startMs,
      hz: settings.hz,
      centre: settings.centre,
      crs: settings.crs,
      kind,
      grid,
      jitter: { typicalM: settings.jitterM, correlationMs: settings.jitterCorrelationMs },
      horizonTicks: Math.max(1, Math.round((HOUR_MS * settings.hz) / 1000)),
      plan,
    });
  });
  return { uids, kinds, tracks };
}

/** One tick of every member: the fixes sent (members in a dropout send none). */
export function fleetTick(fleet: Fleet): Fix[] {
  const fixes: Fix[] = [];
  for (const track of fleet.tracks) {
    const fix = track.next().value.fix;
    if (fix) fixes.push(fix);
  }
  return fixes;
}

/** Stops and dropouts short enough to see within a demo's first minutes. */
export const LIVE_STOP_MS = [2 * 60_000, 15 * 60_000] as const;
export const LIVE_DROPOUT_MS = [20_000, 180_000] as const;

/** Fleet settings for `npm run simulate`'s options (the demo passes the same shape). */
export function liveFleetSettings(
  options: Pick<
    SimulateOptions,
    | 'members'
    | 'firstUid'
    | 'rate'
    | 'centre'
    | 'crs'
    | 'kinds'
    | 'jitterM'
    | 'radiusM'
    | 'stopsPerHour'
    | 'dropoutsPerHour'
  >,
  seed: number,
  startMs: number,
): FleetSettings {
  return {
    seed,
    members: options.members,
    firstUid: options.firstUid,
    hz: options.rate,
    startMs,
    centre: options.centre,
    crs: options.crs,
    kinds: options.kinds,
    jitterM: options.jitterM,
    jitterCorrelationMs: 20_000,
    blockM: 200,
    radiusM: options.radiusM,
    stopsPerHour: options.stopsPerHour,
    dropoutsPerHour: options.dropoutsPerHour,
    stopMs: LIVE_STOP_MS,
    dropoutMs: LIVE_DROPOUT_MS,
  };
}
