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

/** ISO-8601 local time with its offset, e.g. 2026-11-27T11:15:00.123+08:00 (what a spreadsheet user reads). */
export function isoLocalTime(ts: number, utcOffsetMinutes: number): string {
  const local = new Date(ts + utcOffsetMinutes * 60_000).toISOString().slice(0, 23);
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(utcOffsetMinutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Degrees with 8 decimals (~1 mm): more is noise, fewer could move a point visibly on a zoomed-in map. */
export function degrees(value: number): string {
  const s = value.toFixed(8);
  return s === '-0.00000000' ? '0.00000000' : s;
}

/** Longitudes in [-180, 180): GPX requires it, and 180 is the same meridian as -180. */
export const wrapLon = (lon: number): number => (lon >= 180 ? lon - 360 : lon);
