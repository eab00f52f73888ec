/**
 * The reds that mean "no data" on the timeline: gaps (along the top of a member's strip) and holes the station
 * recorded as lost (over its whole height). Held here once, so the member palette can be checked to keep clear of
 * them: a member drawn in gap red made its data bars read as one long gap.
 */
export type Rgb = readonly [number, number, number];

export const GAP_RGB: Rgb = [211, 47, 47];
export const GAP_FILL = `rgba(${GAP_RGB.join(', ')}, 0.55)`;
export const HOLE_RGB: Rgb = [120, 0, 0];
export const HOLE_FILL = `rgba(${HOLE_RGB.join(', ')}, 0.8)`;

/** A member colour at least this far (colorDistance) from the reds above reads as data, not as missing data. */
export const MIN_DISTANCE_FROM_GAPS = 120;

export function rgbOf(hex: string): Rgb {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;
}

/** "Redmean" distance: Euclidean RGB weighted for how eyes tell reds and blues apart; 0 to about 765. */
export function colorDistance(a: Rgb, b: Rgb): number {
  const r = (a[0] + b[0]) / 2;
  const [dr, dg, db] = [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
  return Math.sqrt((2 + r / 256) * dr * dr + 4 * dg * dg + (2 + (255 - r) / 256) * db * db);
}
