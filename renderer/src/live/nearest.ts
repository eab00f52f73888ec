/**
 * "Who is closest to this job": watched members by great-circle distance from a point. Both the point and the
 * fixes are compared in WGS-84 (protocol/geodesy.ts), whatever system the basemap draws in, so a GCJ-02 basemap's
 * ~500 m offset never reorders the answer.
 */
import { convertCrs } from '../../../protocol/crs.js';
import type { Crs } from '../../../protocol/fix-limits.js';
import { haversineM } from '../../../protocol/geodesy.js';

export interface Located {
  uid: string;
  lat: number;
  lon: number;
  crs: Crs;
}

export interface NearestMember {
  uid: string;
  distanceM: number;
}

export function toWgs84(lat: number, lon: number, crs: Crs): { lat: number; lon: number } {
  if (crs === 'wgs84') return { lat, lon };
  const p = convertCrs(lon, lat, crs, 'wgs84');
  return { lat: p.lat, lon: p.lon };
}

/** The `limit` members nearest to a point given in `pointCrs` (the basemap's), nearest first. */
export function nearestMembers(
  point: { lat: number; lon: number },
  pointCrs: Crs,
  members: Iterable<Located>,
  limit: number,
): NearestMember[] {
  const from = toWgs84(point.lat, point.lon, pointCrs);
  const out: NearestMember[] = [];
  for (const m of members) {
    const at = toWgs84(m.lat, m.lon, m.crs);
    out.push({ uid: m.uid, distanceM: haversineM(from.lat, from.lon, at.lat, at.lon) });
  }
  out.sort((a, b) => a.distanceM - b.distanceM || (a.uid < b.uid ? -1 : 1));
  return out.slice(0, limit);
}
