/**
 * Following a member during history playback: the map stays still while the member's marker moves inside the
 * middle of the view, and is moved (at once, bringing the marker back to the centre) when it reaches the outer
 * band. A map chasing the marker every frame would redraw the whole track each frame and never keep still to be
 * read. Pure, table-tested.
 */

import { REVEAL_MARGIN_PX } from './reveal.js';

/** The outer band, as a share of the map's width and height on each side (at least FOLLOW_BAND_MIN_PX). */
export const FOLLOW_BAND = 0.2;
/** On a small map, at least the margin within which a marker is half hidden (reveal.ts). */
export const FOLLOW_BAND_MIN_PX = REVEAL_MARGIN_PX;

/**
 * How far to pan the map (container pixels, as Leaflet's `panBy` takes them) so the marker at (x, y) is in view:
 * undefined while it is inside the middle of a `width` × `height` map, else the offset that centres it.
 */
export function followPan(
  x: number,
  y: number,
  width: number,
  height: number,
): { dx: number; dy: number } | undefined {
  const bandX = Math.max(FOLLOW_BAND_MIN_PX, width * FOLLOW_BAND);
  const bandY = Math.max(FOLLOW_BAND_MIN_PX, height * FOLLOW_BAND);
  if (x >= bandX && x <= width - bandX && y >= bandY && y <= height - bandY) return undefined;
  return { dx: Math.round(x - width / 2), dy: Math.round(y - height / 2) };
}
