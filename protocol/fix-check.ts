/**
 * The one by-value check of a canonical fix, shared by the relay and the station's store: `fixSchema`'s rules
 * written out. The relay's batch path checks every raw fix it sends to Redis, every relay checks every fix that
 * comes back on the positioned channel, and the store checks every fix it is asked to write; a zod parse builds a
 * result per fix and was a visible share of the relay's CPU per positioned fix. The table test (fix-check.test.ts)
 * holds these rules to `fixSchema`'s verdicts; test/contract/fix-fields.test.ts holds the fields to fix-fields.ts.
 */
import { CRS_VALUES, UID_PATTERN } from './fix-limits.js';
import { OPTIONAL_SENDER_NUMBERS } from './fix-fields.js';
import type { Fix, PositionedFix } from './fix-types.js';

const CRS = new Set<string>(CRS_VALUES);
const OPTIONAL_NUMBERS = OPTIONAL_SENDER_NUMBERS;

/** Why `value` is not a canonical fix (positioned or not), or undefined when it is. */
export function fixProblem(value: unknown, positioned: boolean): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const v = value as Record<string, unknown>;
  if (typeof v.uid !== 'string' || !UID_PATTERN.test(v.uid)) return 'uid must be 1-64 of [A-Za-z0-9_.:-]';
  if (typeof v.lat !== 'number' || !(v.lat >= -90 && v.lat <= 90)) return 'lat must be a number in [-90, 90]';
  if (typeof v.lon !== 'number' || !(v.lon >= -180 && v.lon <= 180))
    return 'lon must be a number in [-180, 180]';
  if (!Number.isSafeInteger(v.ts) || (v.ts as number) < 0) return 'ts must be a non-negative integer';
  if (typeof v.crs !== 'string' || !CRS.has(v.crs)) return `crs must be one of ${CRS_VALUES.join(', ')}`;
  for (const name of OPTIONAL_NUMBERS) {
    const n = v[name];
    if (n !== undefined && (typeof n !== 'number' || !Number.isFinite(n))) return `${name} must be a number`;
  }
  if (v.cid !== undefined && (typeof v.cid !== 'string' || v.cid.length > 64)) return 'cid must be a string';
  if (positioned || v.epoch !== undefined) {
    if (typeof v.epoch !== 'string' || v.epoch.length > 64)
      return 'epoch must be a string of at most 64 characters';
  }
  if (positioned || v.offset !== undefined) {
    if (!Number.isSafeInteger(v.offset) || (v.offset as number) < 1)
      return 'offset must be a positive integer';
  }
  return undefined;
}

/**
 * A copy of a positioned fix holding only the known fields (a message from anyone with Redis access may carry
 * more). Call once `fixProblem(value, true)` is undefined.
 */
export function knownFields(v: Fix & { epoch: string; offset: number }): PositionedFix {
  // The schema's field order, as the zod parse this replaces gave it.
  const fix = { uid: v.uid, lat: v.lat, lon: v.lon, ts: v.ts, crs: v.crs } as PositionedFix;
  if (v.speed !== undefined) fix.speed = v.speed;
  if (v.accuracy !== undefined) fix.accuracy = v.accuracy;
  if (v.altitude !== undefined) fix.altitude = v.altitude;
  if (v.verticalAccuracy !== undefined) fix.verticalAccuracy = v.verticalAccuracy;
  if (v.horizontalAccuracy !== undefined) fix.horizontalAccuracy = v.horizontalAccuracy;
  if (v.heading !== undefined) fix.heading = v.heading;
  if (v.cid !== undefined) fix.cid = v.cid;
  fix.epoch = v.epoch;
  fix.offset = v.offset;
  return fix;
}
