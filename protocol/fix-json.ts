/**
 * `fixJson(fix)`: the JSON text of a canonical fix, the same object `JSON.parse` gives back for
 * `JSON.stringify(fix)`, built by concatenation. The relay serializes every fix it fans out; walking the object
 * generically was one of the largest items of its CPU per fix.
 *
 * `uid` and `crs` are written without escaping: every fix reaching the relay went through `parseRawFix` or
 * `fixSchema`, which restrict `uid` to UID_PATTERN ([A-Za-z0-9_.:-], nothing JSON escapes) and `crs` to CRS_VALUES.
 * The other strings (`cid`, `epoch`), which `fixSchema` does not restrict to such a pattern, are escaped.
 */
import type { Fix } from './fix.js';

/** JSON has no NaN or infinities: `JSON.stringify` writes them as null, and so does this. */
const num = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');

export function fixJson(fix: Fix): string {
  let s = `{"uid":"${fix.uid}","lat":${num(fix.lat)},"lon":${num(fix.lon)},"ts":${num(fix.ts)},"crs":"${fix.crs}"`;
  if (fix.speed !== undefined) s += `,"speed":${num(fix.speed)}`;
  if (fix.accuracy !== undefined) s += `,"accuracy":${num(fix.accuracy)}`;
  if (fix.altitude !== undefined) s += `,"altitude":${num(fix.altitude)}`;
  if (fix.verticalAccuracy !== undefined) s += `,"verticalAccuracy":${num(fix.verticalAccuracy)}`;
  if (fix.horizontalAccuracy !== undefined) s += `,"horizontalAccuracy":${num(fix.horizontalAccuracy)}`;
  if (fix.heading !== undefined) s += `,"heading":${num(fix.heading)}`;
  if (fix.cid !== undefined) s += `,"cid":${JSON.stringify(fix.cid)}`;
  if (fix.epoch !== undefined) s += `,"epoch":${JSON.stringify(fix.epoch)}`;
  if (fix.offset !== undefined) s += `,"offset":${num(fix.offset)}`;
  return `${s}}`;
}
