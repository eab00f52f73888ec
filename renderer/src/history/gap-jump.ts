/**
 * Playback over gaps: while no selected member has data at the playback time, playback jumps to the next time
 * any of them has, and says which gap it jumped. Pure over each member's segments, table-tested.
 */
import type { TrackSegment } from '../../../contract/track/segments.js';
import { segmentAt } from '../../../contract/track/segments.js';

export interface GapJump {
  /** Where playback was (inside the common gap) and where it continues. */
  from: number;
  to: number;
  /** The common gap: last data before it (or the period start) to the first data after it. */
  gapFrom: number;
  gapTo: number;
}

/** The jump to make at time `t`, or undefined when some member has data at `t` or none has any after it. */
export function gapJumpAt(members: readonly (readonly TrackSegment[])[], t: number): GapJump | undefined {
  let next = Infinity;
  let lastBefore = -Infinity;
  for (const segments of members) {
    if (segmentAt(segments, t) >= 0) return undefined;
    for (const s of segments) {
      if (s.fromTs > t) {
        next = Math.min(next, s.fromTs);
        break;
      }
      lastBefore = Math.max(lastBefore, s.toTs);
    }
  }
  if (next === Infinity) return undefined;
  return { from: t, to: next, gapFrom: lastBefore === -Infinity ? t : lastBefore, gapTo: next };
}
