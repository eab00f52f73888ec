/**
 * When a member stops and when its phone goes silent, planned up front for a span of fix ticks, so a generated day
 * knows its truth exactly. Pure.
 *
 * Times are tick indices (tick k is the k-th fix time), so every boundary falls on a fix time whatever the rate.
 * Events never overlap and are at least `minGapTicks` of moving apart (also from both ends of the span): a stop
 * is then always seen arriving and leaving, and a dropout never hides a stop's edge.
 */
import { integer, type Random } from './random.js';

export type EventKind = 'stop' | 'dropout';

export interface PlannedEvent {
  kind: EventKind;
  /** First tick of the event. */
  from: number;
  /** First tick after it. A stop holds still over [from, to]; a dropout sends no fix at ticks from..to-1. */
  to: number;
}

export interface PlanRequest {
  spanTicks: number;
  /** Lengths of the stops and dropouts wanted, in ticks (each at least 1). Order of the events is shuffled. */
  stopTicks: readonly number[];
  dropoutTicks: readonly number[];
  minGapTicks: number;
}

export class PlanError extends RangeError {
  readonly code = 'SIM_PLAN_DOES_NOT_FIT';
}

/** Total ticks the request needs at least; over `spanTicks` it cannot be planned. */
export function neededTicks(request: Omit<PlanRequest, 'spanTicks'>): number {
  const events = request.stopTicks.length + request.dropoutTicks.length;
  const busy = [...request.stopTicks, ...request.dropoutTicks].reduce((sum, n) => sum + n, 0);
  return busy + (events + 1) * request.minGapTicks;
}

export function planEvents(request: PlanRequest, random: Random): PlannedEvent[] {
  for (const n of [...request.stopTicks, ...request.dropoutTicks]) {
    if (!Number.isInteger(n) || n < 1) throw new PlanError(`event lengths must be whole ticks ≥ 1, got ${n}`);
  }
  const spare = request.spanTicks - neededTicks(request);
  if (spare < 0) {
    throw new PlanError(
      `${request.stopTicks.length} stops and ${request.dropoutTicks.length} dropouts need ` +
        `${neededTicks(request)} ticks with their gaps; the span has ${request.spanTicks}`,
    );
  }
  const events: { kind: EventKind; ticks: number }[] = [
    ...request.stopTicks.map((ticks) => ({ kind: 'stop' as const, ticks })),
    ...request.dropoutTicks.map((ticks) => ({ kind: 'dropout' as const, ticks })),
  ];
  // Fisher–Yates, so stops and dropouts interleave.
  for (let i = events.length - 1; i > 0; i--) {
    const j = integer(random, 0, i);
    [events[i], events[j]] = [events[j] as (typeof events)[number], events[i] as (typeof events)[number]];
  }
  // Spare ticks split among the gaps at uniformly random cut points.
  const cuts = events.map(() => integer(random, 0, spare)).sort((a, b) => a - b);
  const planned: PlannedEvent[] = [];
  let tick = 0;
  let previousCut = 0;
  events.forEach((event, i) => {
    const cut = cuts[i] as number;
    tick += request.minGapTicks + (cut - previousCut);
    previousCut = cut;
    planned.push({ kind: event.kind, from: tick, to: tick + event.ticks });
    tick += event.ticks;
  });
  return planned;
}
