/**
 * The simulated world is a flat plane in metres (x east, y north) around a centre given in WGS-84; points become
 * latitude/longitude only when a fix or a truth point is emitted, in the coordinate system the sender uses
 * (GCJ-02 for wx.getLocation, as the customer's PHP forwards it, or WGS-84).
 *
 * Longitude scale is taken at each point's own latitude, so a haversine distance between two emitted points
 * agrees with their plane distance to well under 0.1 % across a city.
 */
import { wgs84ToGcj02, type LonLat } from '../protocol/crs.js';
import type { Crs } from '../protocol/fix.js';

/** Mean Earth radius (the one haversine users take), metres. */
export const EARTH_RADIUS_M = 6_371_008.8;

export interface PlanePoint {
  x: number;
  y: number;
}

/** Centres of the default areas, WGS-84. */
export const AREAS = {
  /** Nanshan, Shenzhen. */
  shenzhen: { lon: 113.93, lat: 22.53 },
  /** Tianhe, Guangzhou. */
  guangzhou: { lon: 113.325, lat: 23.128 },
} as const satisfies Record<string, LonLat>;

export function planeToWgs84(centre: LonLat, p: PlanePoint): LonLat {
  const lat = centre.lat + ((p.y / EARTH_RADIUS_M) * 180) / Math.PI;
  const lon = centre.lon + ((p.x / (EARTH_RADIUS_M * Math.cos((lat * Math.PI) / 180))) * 180) / Math.PI;
  return { lon, lat };
}

/** A plane point in the coordinate system `crs` (only WGS-84 and GCJ-02: the two a member's phone reports). */
export function planeToCrs(centre: LonLat, p: PlanePoint, crs: SimulatedCrs): LonLat {
  const wgs = planeToWgs84(centre, p);
  return crs === 'gcj02' ? wgs84ToGcj02(wgs.lon, wgs.lat) : wgs;
}

export type SimulatedCrs = Extract<Crs, 'wgs84' | 'gcj02'>;

export function planeDistance(a: PlanePoint, b: PlanePoint): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** Great-circle distance, metres: what a history view computes from emitted fixes. */
export function haversineM(a: LonLat, b: LonLat): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
