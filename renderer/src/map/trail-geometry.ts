/** Trail geometry for the trails canvas, pure so it is table-tested without a map. */

/** Spherical Mercator world pixels (what Leaflet's default EPSG:3857 gives), without allocating a Point. */
export function mercatorPixel(lat: number, lon: number, zoom: number): [number, number] {
  const size = 256 * 2 ** zoom;
  const clamped = Math.max(-85.0511287798, Math.min(85.0511287798, lat));
  const sin = Math.sin((clamped * Math.PI) / 180);
  return [(size * (lon + 180)) / 360, size * (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI))];
}

/**
 * Keep a new point only if it is at least `minStep` from the last kept one; the newest point always replaces a
 * too-close tail so the trail still reaches the marker. Pure; table-tested.
 */
export function appendThinned(
  xy: number[],
  ts: number[],
  x: number,
  y: number,
  t: number,
  minStep: number,
): void {
  const n = ts.length;
  if (n >= 2) {
    const dx = x - (xy[2 * n - 4] as number);
    const dy = y - (xy[2 * n - 3] as number);
    const lastDx = (xy[2 * n - 2] as number) - (xy[2 * n - 4] as number);
    const lastDy = (xy[2 * n - 1] as number) - (xy[2 * n - 3] as number);
    // The tail point was itself too close to the one before: move it instead of adding another.
    if (lastDx * lastDx + lastDy * lastDy < minStep * minStep && dx * dx + dy * dy < 4 * minStep * minStep) {
      xy[2 * n - 2] = x;
      xy[2 * n - 1] = y;
      ts[n - 1] = t;
      return;
    }
  }
  xy.push(x, y);
  ts.push(t);
}

/** Drop points older than `oldestTs` from the front. */
export function trimBefore(xy: number[], ts: number[], oldestTs: number): void {
  let drop = 0;
  while (drop < ts.length && (ts[drop] as number) < oldestTs) drop++;
  if (drop > 0) {
    ts.splice(0, drop);
    xy.splice(0, 2 * drop);
  }
}
