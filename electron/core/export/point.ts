/** What every export format writes per fix: WGS-84 coordinates converted from the fix's stored system. */
import { toWgs84 } from '../../../protocol/crs.js';
import type { Crs, Fix } from '../../../protocol/fix.js';

export interface ExportPoint {
  uid: string;
  ts: number;
  /** WGS-84. */
  lat: number;
  lon: number;
  altitude?: number;
  speed?: number;
  accuracy?: number;
  heading?: number;
  /** The system the fix was stored in, kept for audit (CSV column, GeoJSON property). */
  sourceCrs: Crs;
}

export function toExportPoint(fix: Fix): ExportPoint {
  const { lon, lat } = toWgs84(fix.lon, fix.lat, fix.crs);
  const point: ExportPoint = { uid: fix.uid, ts: fix.ts, lat, lon, sourceCrs: fix.crs };
  if (fix.altitude !== undefined) point.altitude = fix.altitude;
  if (fix.speed !== undefined) point.speed = fix.speed;
  if (fix.accuracy !== undefined) point.accuracy = fix.accuracy;
  if (fix.heading !== undefined) point.heading = fix.heading;
  return point;
}

/** ISO-8601 UTC with milliseconds, e.g. 2026-11-27T03:15:00.123Z (xsd:dateTime for GPX and KML). */
export function isoTime(ts: number): string {
  return new Date(ts).toISOString();
}

/** Degrees with 8 decimals (~1 mm): more is noise, fewer could move a point visibly on a zoomed-in map. */
export function degrees(value: number): string {
  const s = value.toFixed(8);
  return s === '-0.00000000' ? '0.00000000' : s;
}
