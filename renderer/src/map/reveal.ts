/**
 * Bringing a picked moment into view: a stop or gap picked in the lists or on the timeline moves the map to where
 * the member was, only when that place is off the visible map (a view the dispatcher chose is not moved for
 * nothing), and at the same zoom. Pure, table-tested.
 */
import { indexAtOrBefore } from '../../../contract/track/sample.js';

/**
 * The fix that shows a picked time: the one at or before it (a stop's first fix, the last fix before a gap), else
 * the first (a gap before any data shows where the data starts); -1 without fixes.
 */
export function revealIndex(ts: Float64Array, count: number, time: number): number {
  if (count === 0) return -1;
  return Math.max(0, indexAtOrBefore(ts, count, time));
}

/** A marker closer than this to the map's edge is half hidden: it counts as out of view. */
export const REVEAL_MARGIN_PX = 24;

/** Whether a point in the map's container pixels lies outside the view shrunk by `margin` on every side. */
export function outsideView(
  x: number,
  y: number,
  width: number,
  height: number,
  margin = REVEAL_MARGIN_PX,
): boolean {
  return x < margin || y < margin || x > width - margin || y > height - margin;
}
