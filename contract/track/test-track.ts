/** Hand-made tracks for the table tests: fixes as [seconds, metres east, metres north, accuracy?, speed?]. */
import type { TrackColumns } from '../station-api.js';

export const T0 = Date.UTC(2026, 10, 30, 1, 0, 0);
const LAT0 = 22.54;
const LON0 = 113.93;
const M_PER_DEG = 111_195;

export type Row = readonly [seconds: number, east: number, north: number, accuracy?: number, speed?: number];

export function track(rows: readonly Row[], uid = '42'): TrackColumns {
  const n = rows.length;
  const out: TrackColumns = {
    uid,
    count: n,
    ts: new Float64Array(n),
    lat: new Float64Array(n),
    lon: new Float64Array(n),
    speed: new Float32Array(n),
    accuracy: new Float32Array(n),
    heading: new Float32Array(n).fill(Number.NaN),
    crs: new Uint8Array(n).fill(1),
    arrival: new Uint8Array(n),
    downsampled: false,
    totalCount: n,
  };
  rows.forEach(([s, east, north, accuracy, speed], i) => {
    out.ts[i] = T0 + s * 1000;
    out.lat[i] = LAT0 + north / M_PER_DEG;
    out.lon[i] = LON0 + east / (M_PER_DEG * Math.cos((LAT0 * Math.PI) / 180));
    out.accuracy[i] = accuracy ?? Number.NaN;
    out.speed[i] = speed ?? Number.NaN;
  });
  return out;
}

/** `count` fixes every `stepS` seconds from `fromS`, moving east at `mps` from `east0` (0 = standing). */
export function run(
  fromS: number,
  count: number,
  stepS: number,
  east0: number,
  mps: number,
  accuracy?: number,
): Row[] {
  return Array.from(
    { length: count },
    (_, k) => [fromS + k * stepS, east0 + mps * k * stepS, 0, accuracy] as const,
  );
}
