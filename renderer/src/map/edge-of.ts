/** Which edge of the view a member outside it lies beyond, for the map's edge indicators. Pure. */

export interface EdgeCounts {
  north: number;
  east: number;
  south: number;
  west: number;
}

/** Which edge a point outside the bounds lies past (the larger overshoot wins at corners). Pure. */
export function edgeOf(
  lat: number,
  lon: number,
  bounds: { south: number; west: number; north: number; east: number },
): keyof EdgeCounts | undefined {
  const overN = lat - bounds.north;
  const overS = bounds.south - lat;
  const overE = lon - bounds.east;
  const overW = bounds.west - lon;
  const max = Math.max(overN, overS, overE, overW);
  if (max <= 0) return undefined;
  if (max === overN) return 'north';
  if (max === overS) return 'south';
  return max === overE ? 'east' : 'west';
}
