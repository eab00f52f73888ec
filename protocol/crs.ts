/**
 * Conversion between the three coordinate systems a fix may be in: WGS-84 (GPS), GCJ-02 (China's mandated
 * obfuscation, what wx.onLocationChange and AMap/Tencent tiles use) and BD-09 (Baidu's further offset).
 *
 * Store what arrived, convert at the edge: the station keeps each fix in its own `crs`; the renderer converts to
 * the basemap's system when drawing, and exports convert to WGS-84. Pure functions, no dependencies, so the
 * renderer bundles them too.
 *
 * GCJ-02 is defined only inside mainland China; outside the usual bounding box the offset is zero (every public
 * implementation and the map vendors agree on that box), so conversions are the identity there.
 */
import type { Crs } from './fix-limits.js';

export interface LonLat {
  lon: number;
  lat: number;
}

/** Krasovsky 1940 ellipsoid: the semi-major axis and eccentricity² the GCJ-02 algorithm is defined with. */
const KRASOVSKY_A = 6378245.0;
const KRASOVSKY_EE = 0.006693421622965943;
const X_PI = (Math.PI * 3000.0) / 180.0;

/** The box outside which GCJ-02 applies no offset. */
export function outOfChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function offsetLat(x: number, y: number): number {
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return ret;
}

function offsetLon(x: number, y: number): number {
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return ret;
}

/** The GCJ-02 offset (degrees) at a WGS-84 point. */
function gcjDelta(lon: number, lat: number): LonLat {
  let dLat = offsetLat(lon - 105.0, lat - 35.0);
  let dLon = offsetLon(lon - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - KRASOVSKY_EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180.0) / ((KRASOVSKY_A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lon: dLon, lat: dLat };
}

/**
 * Neither GCJ-02 nor BD-09 has a closed-form inverse. The common one-step inverses are off by up to ~2 m (GCJ) and
 * ~8 cm (BD); a few fixed-point iterations on the forward transform bring them below a millimetre, which matters
 * when exported tracks are overlaid on WGS-84 imagery.
 */
function invert(
  forward: (lon: number, lat: number) => LonLat,
  lon: number,
  lat: number,
  start: LonLat = { lon, lat },
): LonLat {
  let x = start.lon;
  let y = start.lat;
  for (let i = 0; i < 10; i++) {
    const f = forward(x, y);
    const eLon = f.lon - lon;
    const eLat = f.lat - lat;
    x -= eLon;
    y -= eLat;
    if (Math.abs(eLon) < 1e-10 && Math.abs(eLat) < 1e-10) break;
  }
  return { lon: x, lat: y };
}

export function wgs84ToGcj02(lon: number, lat: number): LonLat {
  if (outOfChina(lon, lat)) return { lon, lat };
  const d = gcjDelta(lon, lat);
  return { lon: lon + d.lon, lat: lat + d.lat };
}

export function gcj02ToWgs84(lon: number, lat: number): LonLat {
  if (outOfChina(lon, lat)) return { lon, lat };
  // Start from the one-step inverse: one or two refinements then reach 1e-10°.
  const d = gcjDelta(lon, lat);
  return invert(wgs84ToGcj02, lon, lat, { lon: lon - d.lon, lat: lat - d.lat });
}

export function gcj02ToBd09(lon: number, lat: number): LonLat {
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * X_PI);
  const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * X_PI);
  return { lon: z * Math.cos(theta) + 0.0065, lat: z * Math.sin(theta) + 0.006 };
}

/** Baidu's published inverse is approximate (~8 cm off); refining it costs little and keeps round trips exact. */
export function bd09ToGcj02(lon: number, lat: number): LonLat {
  return invert(gcj02ToBd09, lon, lat, bd09ToGcj02Approx(lon, lat));
}

function bd09ToGcj02Approx(lon: number, lat: number): LonLat {
  const x = lon - 0.0065;
  const y = lat - 0.006;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
  return { lon: z * Math.cos(theta), lat: z * Math.sin(theta) };
}

export function wgs84ToBd09(lon: number, lat: number): LonLat {
  const g = wgs84ToGcj02(lon, lat);
  return gcj02ToBd09(g.lon, g.lat);
}

export function bd09ToWgs84(lon: number, lat: number): LonLat {
  const g = bd09ToGcj02(lon, lat);
  return gcj02ToWgs84(g.lon, g.lat);
}

/** Convert a point from one system to another; the identity when they are the same. */
export function convertCrs(lon: number, lat: number, from: Crs, to: Crs): LonLat {
  if (from === to) return { lon, lat };
  // Go through GCJ-02, the hub both others are defined against.
  const gcj =
    from === 'gcj02' ? { lon, lat } : from === 'bd09' ? bd09ToGcj02(lon, lat) : wgs84ToGcj02(lon, lat);
  if (to === 'gcj02') return gcj;
  return to === 'bd09' ? gcj02ToBd09(gcj.lon, gcj.lat) : gcj02ToWgs84(gcj.lon, gcj.lat);
}

export function toWgs84(lon: number, lat: number, from: Crs): LonLat {
  return convertCrs(lon, lat, from, 'wgs84');
}
