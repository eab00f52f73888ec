/**
 * Street-like motion: members move along a grid-ish network of streets (blocks of uneven length, the whole grid
 * turned by an angle, as city grids are), go straight at most crossings, sometimes turn, rarely turn back, and
 * drift back towards the centre when they are past the area's radius. Streets are fixed by the grid's seed, so a
 * member who passes the same place twice follows the same street, as a track on a real map does.
 *
 * Pure: positions are in the plane (metres around the centre); randomness comes in as an argument.
 */
import type { PlanePoint } from './plane.js';
import { hash01, integer, type Random, uniform, weightedIndex } from './random.js';

export interface StreetGrid {
  /** Which streets exist: the same seed, the same streets. */
  seed: number;
  /** Mean distance between parallel streets, metres. */
  blockM: number;
  /** The grid's turn from east/north, radians. */
  angleRad: number;
  /** Members past this distance from the centre prefer turns that bring them back, metres. */
  radiusM: number;
}

/** Where a member is on the grid: on the street `crossIndex` of the other family, heading to line `nextIndex`. */
export interface StreetPosition {
  /** 0: along u (crossing the u-lines), 1: along v. */
  axis: 0 | 1;
  sign: 1 | -1;
  /** Coordinate along the current axis, metres, in the grid's frame. */
  along: number;
  crossIndex: number;
  nextIndex: number;
}

/** Position of street line `index` of family `axis`: evenly spaced, each moved by up to a quarter block. */
export function streetLine(grid: StreetGrid, axis: 0 | 1, index: number): number {
  return (index + (hash01(grid.seed, axis, index) - 0.5) * 0.5) * grid.blockM;
}

/** The first line of family `axis` strictly past `along` in direction `sign`. */
export function nextLineIndex(grid: StreetGrid, axis: 0 | 1, along: number, sign: 1 | -1): number {
  let index = Math.round(along / grid.blockM) - sign * 2;
  while (sign * (streetLine(grid, axis, index) - along) <= 0) index += sign;
  return index;
}

export function gridToPlane(grid: StreetGrid, u: number, v: number): PlanePoint {
  const c = Math.cos(grid.angleRad);
  const s = Math.sin(grid.angleRad);
  return { x: u * c - v * s, y: u * s + v * c };
}

export function streetPoint(grid: StreetGrid, at: StreetPosition): PlanePoint {
  const cross = streetLine(grid, (1 - at.axis) as 0 | 1, at.crossIndex);
  return at.axis === 0 ? gridToPlane(grid, at.along, cross) : gridToPlane(grid, cross, at.along);
}

/** A random place on a street within `withinM` of the centre, heading either way. */
export function randomStreetPosition(grid: StreetGrid, random: Random, withinM: number): StreetPosition {
  const axis = integer(random, 0, 1) as 0 | 1;
  const sign = random.next() < 0.5 ? 1 : -1;
  const span = Math.max(1, Math.floor(withinM / grid.blockM));
  const crossIndex = integer(random, -span, span);
  const along = uniform(random, -withinM, withinM) * 0.7;
  return { axis, sign, along, crossIndex, nextIndex: nextLineIndex(grid, axis, along, sign) };
}

/** Relative weights of going straight, left, right and back at a crossing. */
export const TURN_WEIGHTS = { straight: 6, left: 2, right: 2, back: 0.1 } as const;

type Choice = { axis: 0 | 1; sign: 1 | -1 };

/** What happens at the crossing the member has just reached (`at.along` is on line `at.nextIndex`). */
export function chooseAtCrossing(grid: StreetGrid, at: StreetPosition, random: Random): StreetPosition {
  const other = (1 - at.axis) as 0 | 1;
  const choices: Choice[] = [
    { axis: at.axis, sign: at.sign },
    { axis: other, sign: 1 },
    { axis: other, sign: -1 },
    { axis: at.axis, sign: -at.sign as 1 | -1 },
  ];
  const base = [TURN_WEIGHTS.straight, TURN_WEIGHTS.left, TURN_WEIGHTS.right, TURN_WEIGHTS.back];
  const here = streetPoint(grid, at);
  const far = Math.hypot(here.x, here.y) > grid.radiusM;
  const weights = choices.map((choice, i) => {
    const w = base[i] as number;
    if (!far) return w;
    const step = choice.axis === 0 ? gridToPlane(grid, choice.sign, 0) : gridToPlane(grid, 0, choice.sign);
    return step.x * here.x + step.y * here.y < 0 ? w * 4 : w / 4;
  });
  const choice = choices[weightedIndex(random, weights)] as Choice;
  const crossingLine = at.nextIndex;
  if (choice.axis === at.axis) {
    return { ...at, sign: choice.sign, nextIndex: crossingLine + choice.sign };
  }
  return {
    axis: choice.axis,
    sign: choice.sign,
    along: streetLine(grid, choice.axis, at.crossIndex),
    crossIndex: crossingLine,
    nextIndex: at.crossIndex + choice.sign,
  };
}

export interface Advanced {
  at: StreetPosition;
  /** Points where the path bent (turns and U-turns), in order, with the distance along this step at which each lies. */
  bends: { point: PlanePoint; afterM: number }[];
}

/** Move `distanceM` along the streets, deciding at every crossing on the way. The path length is exactly `distanceM`. */
export function advanceAlongStreets(
  grid: StreetGrid,
  start: StreetPosition,
  distanceM: number,
  random: Random,
): Advanced {
  let at = start;
  let left = distanceM;
  const bends: Advanced['bends'] = [];
  for (;;) {
    const crossing = streetLine(grid, at.axis, at.nextIndex);
    const toCrossing = Math.abs(crossing - at.along);
    if (left < toCrossing) return { at: { ...at, along: at.along + at.sign * left }, bends };
    left -= toCrossing;
    const arrived: StreetPosition = { ...at, along: crossing };
    at = chooseAtCrossing(grid, arrived, random);
    if (at.axis !== arrived.axis || at.sign !== arrived.sign)
      bends.push({ point: streetPoint(grid, arrived), afterM: distanceM - left });
  }
}
