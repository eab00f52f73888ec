/**
 * A generated day with known truth, for testing what the station derives from a track (stops, gaps, distance,
 * moving time) and for benchmarks that need realistic 86,400-fix days. Pure: the same options give the same day.
 *
 * Truth is exact by construction: distance is the sum of the path's steps along the streets (equal to the length
 * of `truth.path`, which includes every bend), moving time the sum of tick intervals the member moved in, each stop
 * one place held from its `fromMs` to its `toMs`, each dropout the span in which no fix was sent.
 */
import type { LonLat } from '../protocol/crs.js';
import type { Fix } from '../protocol/fix.js';
import { AREAS, planeToCrs, type SimulatedCrs } from './plane.js';
import { forkRandom, mix32, uniform, type Random } from './random.js';
import { planEvents } from './schedule.js';
import type { StreetGrid } from './streets.js';
import { type MemberKind, simulateTrack, tickTime } from './track.js';

export interface DayOptions {
  seed: number;
  /** Time of the first fix, ms since 1970. */
  startMs: number;
  /** Fixes per second (default 1: 86,400 fixes in a day without dropouts). */
  hz?: number;
  /** Length of the day, ms (default 24 h). */
  durationMs?: number;
  /** How many stops, or the length of each in ms (default 6). */
  stops?: number | readonly number[];
  /** How many dropouts, or the length of each in ms (default 3). */
  dropouts?: number | readonly number[];
  /** Range of stop lengths when `stops` is a count, ms (default 5 to 30 minutes). */
  stopMs?: readonly [number, number];
  /** Range of dropout lengths when `dropouts` is a count, ms (default 1 to 10 minutes). */
  dropoutMs?: readonly [number, number];
  /** Least moving time between two events and at both ends of the day, ms (default 5 minutes). */
  minGapMs?: number;
  /** Typical reported accuracy, metres; each fix is off by at most its reported accuracy (default 10; 0 = exact). */
  jitterM?: number;
  /** How long a GPS error persists, ms (default 20 s; 0 = independent per fix, the hardest case). */
  jitterCorrelationMs?: number;
  kind?: MemberKind;
  uid?: string;
  /** WGS-84 centre of the area (default Nanshan, Shenzhen). */
  centre?: LonLat;
  /** Coordinate system of fixes and truth (default gcj02, as wx.getLocation reports and PHP forwards). */
  crs?: SimulatedCrs;
  /** Mean street block, metres (default 200). */
  blockM?: number;
  /** Area radius the member mostly stays within, metres (default 5,000). */
  radiusM?: number;
  /** Include `truth.path` (default true; a benchmark that only needs fixes can save the memory). */
  withPath?: boolean;
}

export interface TruthStop {
  fromMs: number;
  toMs: number;
  lat: number;
  lon: number;
}

export interface TruthDropout {
  /** Time of the first fix not sent. */
  fromMs: number;
  /** Time of the first fix sent again. No fix has `fromMs <= ts < toMs`. */
  toMs: number;
  /** How far the member truly went, and how long it moved, between the last fix before and the first fix after. */
  distanceM: number;
  movingMs: number;
}

export interface DayTruth {
  /** Metres along the true path over the whole day (dropouts included). */
  distanceM: number;
  /** Time spent moving, ms (the day minus its stops). */
  movingMs: number;
  stops: TruthStop[];
  dropouts: TruthDropout[];
  /** The true path: one point per tick plus every bend between ticks, in `crs`. Empty when `withPath` is false. */
  path: { ts: number; lat: number; lon: number }[];
}

export interface GeneratedDay {
  uid: string;
  crs: SimulatedCrs;
  hz: number;
  fixes: Fix[];
  truth: DayTruth;
}

const MINUTE = 60_000;

export const DAY_DEFAULTS = {
  hz: 1,
  durationMs: 24 * 60 * MINUTE,
  stops: 6,
  dropouts: 3,
  stopMs: [5 * MINUTE, 30 * MINUTE] as const,
  dropoutMs: [1 * MINUTE, 10 * MINUTE] as const,
  minGapMs: 5 * MINUTE,
  jitterM: 10,
  jitterCorrelationMs: 20_000,
  kind: 'scooter' as MemberKind,
  uid: '42',
  centre: AREAS.shenzhen as LonLat,
  crs: 'gcj02' as SimulatedCrs,
  blockM: 200,
  radiusM: 5_000,
  withPath: true,
};

/** A grid for the seed: the same seed gives the same streets, turned by its own angle. */
export function gridFor(seed: number, blockM: number, radiusM: number): StreetGrid {
  const angleRad = (mix32(seed, 0x67726964) / 0x1_0000_0000) * (Math.PI / 2);
  return { seed: mix32(seed, 0x73747265), blockM, angleRad, radiusM };
}

function lengthsInTicks(
  wanted: number | readonly number[],
  range: readonly [number, number],
  hz: number,
  random: Random,
): number[] {
  const ms =
    typeof wanted === 'number' ? Array.from({ length: wanted }, () => uniform(random, ...range)) : wanted;
  return ms.map((m) => Math.max(1, Math.round((m * hz) / 1000)));
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(`generateDay: ${message}`);
}

export function generateDay(options: DayOptions): GeneratedDay {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o = { ...DAY_DEFAULTS, ...given } as typeof DAY_DEFAULTS & DayOptions;
  check(Number.isFinite(o.hz) && o.hz > 0 && o.hz <= 50, `hz must be in (0, 50], got ${o.hz}`);
  check(
    Number.isFinite(o.durationMs) && o.durationMs > 0,
    `durationMs must be positive, got ${o.durationMs}`,
  );
  check(o.jitterM >= 0 && o.jitterCorrelationMs >= 0, 'jitterM and jitterCorrelationMs must not be negative');
  check(o.blockM >= 20 && o.radiusM >= o.blockM, 'blockM must be at least 20 and radiusM at least blockM');
  const spanTicks = Math.floor((o.durationMs * o.hz) / 1000);
  const lengths = forkRandom(o.seed, 0x6c656e);
  const stopTicks = lengthsInTicks(o.stops, o.stopMs, o.hz, lengths);
  const dropoutTicks = lengthsInTicks(o.dropouts, o.dropoutMs, o.hz, lengths);
  const minGapTicks = Math.max(1, Math.round((o.minGapMs * o.hz) / 1000));

  const track = simulateTrack({
    uid: o.uid,
    seed: o.seed,
    startMs: o.startMs,
    hz: o.hz,
    centre: o.centre,
    crs: o.crs,
    kind: o.kind,
    grid: gridFor(o.seed, o.blockM, o.radiusM),
    jitter: { typicalM: o.jitterM, correlationMs: o.jitterCorrelationMs },
    horizonTicks: spanTicks,
    plan: (_horizon, random) => planEvents({ spanTicks, stopTicks, dropoutTicks, minGapTicks }, random),
  });

  const fixes: Fix[] = [];
  const path: DayTruth['path'] = [];
  const stops: TruthStop[] = [];
  const dropouts: TruthDropout[] = [];
  let distanceM = 0;
  let movingMs = 0;
  let previousTs = o.startMs;
  let open: { toTick: number; dropout: TruthDropout } | undefined;
  const toCrs = (p: { x: number; y: number }) => planeToCrs(o.centre, p, o.crs);
  for (let i = 0; i < spanTicks; i++) {
    const tick = track.next().value;
    if (tick.stepM > 0) {
      distanceM += tick.stepM;
      movingMs += tick.ts - previousTs;
    }
    if (o.withPath) {
      for (const bend of tick.bends) path.push({ ts: bend.ts, ...toCrs(bend.point) });
      path.push({ ts: tick.ts, ...toCrs(tick.truth) });
    }
    if (tick.fix) fixes.push(tick.fix);
    const event = tick.event;
    if (event?.kind === 'stop' && event.from === tick.tick) {
      stops.push({ fromMs: tick.ts, toMs: tickTime(o.startMs, o.hz, event.to), ...toCrs(tick.truth) });
    }
    if (event?.kind === 'dropout' && event.from === tick.tick) {
      open = {
        toTick: event.to,
        dropout: { fromMs: tick.ts, toMs: tickTime(o.startMs, o.hz, event.to), distanceM: 0, movingMs: 0 },
      };
      dropouts.push(open.dropout);
    }
    // Unheard: every step from the last fix before the dropout to the first fix after it.
    if (open && tick.stepM > 0) {
      open.dropout.distanceM += tick.stepM;
      open.dropout.movingMs += tick.ts - previousTs;
    }
    if (open?.toTick === tick.tick) open = undefined;
    previousTs = tick.ts;
  }
  return { uid: o.uid, crs: o.crs, hz: o.hz, fixes, truth: { distanceM, movingMs, stops, dropouts, path } };
}
