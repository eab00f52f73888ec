/**
 * A simulated fix in the two raw shapes Lodestar accepts (protocol/fix.ts `normalizeRawFix`):
 * - as the customer's PHP backend publishes it on Redis: integer uid, and every other value as the string ThinkPHP's
 *   `input()` hands over (docs/php.md);
 * - as the mini-program posts it to the ingest API: numbers, a client fix id, no uid (the relay takes the token's).
 */
import type { Fix } from '../protocol/fix.js';
import type { IngestFix } from '../protocol/ingest.js';

/** 7 decimals of a degree: about 1 cm, finer than any phone reports. */
const DEGREE_DECIMALS = 7;

export function phpRawFix(fix: Fix): Record<string, string | number> {
  const raw: Record<string, string | number> = {
    uid: /^\d{1,15}$/.test(fix.uid) ? Number(fix.uid) : fix.uid,
    longitude: fix.lon.toFixed(DEGREE_DECIMALS),
    latitude: fix.lat.toFixed(DEGREE_DECIMALS),
    ts: fix.ts,
    crs: fix.crs,
  };
  if (fix.speed !== undefined) raw.speed = String(fix.speed);
  if (fix.accuracy !== undefined) raw.accuracy = String(fix.accuracy);
  return raw;
}

export function phpRawMessage(fix: Fix): string {
  return JSON.stringify(phpRawFix(fix));
}

/** `cid` must be unique per device: the simulator's run id, member and tick make it so. */
export function ingestRawFix(fix: Fix, cid: string): IngestFix {
  const raw: IngestFix = {
    longitude: Number(fix.lon.toFixed(DEGREE_DECIMALS)),
    latitude: Number(fix.lat.toFixed(DEGREE_DECIMALS)),
    ts: fix.ts,
    crs: fix.crs,
    cid,
  };
  if (fix.speed !== undefined) raw.speed = fix.speed;
  if (fix.accuracy !== undefined) raw.accuracy = fix.accuracy;
  return raw;
}
