/**
 * The one definition of a location fix.
 *
 * Two shapes exist:
 * - the *raw* fix, as the customer's PHP backend publishes it on Redis or the mini-program posts it:
 *   `{"uid": 42 | "42", "longitude": "113.3" | 113.3, "latitude": ..., ...wx.onLocationChange fields}`.
 *   PHP's `input()` hands over strings, and `""` when a field is missing.
 * - the *canonical* fix (`Fix`), what every Lodestar component stores and sends: numbers, a string uid,
 *   a fix time in ms, and the coordinate system the coordinates are in.
 *
 * `parseRawFix` is the only way from the first to the second. It never throws: it returns a rejection with
 * a stable reason code, which callers count.
 */
import { z } from 'zod';

import {
  CRS_VALUES,
  type Crs,
  DEFAULT_CRS,
  MAX_FUTURE_MS,
  MAX_RAW_FIX_BYTES,
  MIN_TS,
  UID_PATTERN,
  isHeadingInRange,
  isSpeedInRange,
} from './fix-limits.js';
import { scanRawFix } from './raw-fix-scan.js';

export { CRS_VALUES, type Crs, DEFAULT_CRS, MAX_RAW_FIX_BYTES, UID_PATTERN } from './fix-limits.js';

export type { DroppedField, Fix, FixPosition, PositionedFix, ParseResult } from './fix-types.js';
import type { DroppedField, Fix, ParseResult } from './fix-types.js';

export { FIX_REJECT_REASONS, type FixRejectReason } from './reject-reasons.js';
import type { FixRejectReason } from './reject-reasons.js';

const reject = (reason: FixRejectReason, message: string): ParseResult<Fix> => ({
  ok: false,
  reason,
  message,
});

/**
 * A number or a numeric string (PHP `input()` gives strings). Empty strings, whitespace, NaN and infinities are
 * not numbers here.
 */
export function toFiniteNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (!isDecimalLiteral(trimmed)) return undefined;
    const n = Number(trimmed);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/**
 * Whether `s` matches /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/ (so `Number` accepts no hex, no "Infinity",
 * no empty string), by one scan: the regex was a visible share of the relay's CPU per fix.
 */
export function isDecimalLiteral(s: string): boolean {
  const end = s.length;
  let i = 0;
  let code = s.charCodeAt(i);
  if (code === 43 || code === 45) code = s.charCodeAt(++i); // + -
  let digits = 0;
  while (isDigit(code)) {
    digits++;
    code = s.charCodeAt(++i);
  }
  if (code === 46) {
    // .
    code = s.charCodeAt(++i);
    while (isDigit(code)) {
      digits++;
      code = s.charCodeAt(++i);
    }
  }
  if (digits === 0) return false;
  if (code === 101 || code === 69) {
    // e E
    code = s.charCodeAt(++i);
    if (code === 43 || code === 45) code = s.charCodeAt(++i);
    let exponentDigits = 0;
    while (isDigit(code)) {
      exponentDigits++;
      code = s.charCodeAt(++i);
    }
    if (exponentDigits === 0) return false;
  }
  return i === end;
}

function normalizeUid(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  if (typeof value === 'string') return UID_PATTERN.test(value) ? value : undefined;
  return undefined;
}

const OPTIONAL_NUMBERS = ['speed', 'accuracy', 'altitude', 'verticalAccuracy', 'horizontalAccuracy'] as const;

/**
 * Normalize one raw fix object (already JSON-decoded). Unknown fields are ignored. `receivedAt` is used as
 * the fix time when the sender gave none.
 */
export function normalizeRawFix(raw: unknown, receivedAt: number): ParseResult<Fix> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return reject('not_object', 'a fix must be a JSON object');
  }
  const r = raw as Record<string, unknown>;
  if (r.uid === undefined || r.uid === null || r.uid === '') return reject('missing_uid', 'uid is missing');
  const uid = normalizeUid(r.uid);
  if (uid === undefined)
    return reject('bad_uid', 'uid must be a non-negative integer or 1-64 of [A-Za-z0-9_.:-]');

  const rawLon = r.longitude ?? r.lon;
  const rawLat = r.latitude ?? r.lat;
  if (isBlankValue(rawLon) || isBlankValue(rawLat)) {
    return reject('missing_coordinates', 'longitude and latitude are required');
  }
  const lon = toFiniteNumber(rawLon);
  const lat = toFiniteNumber(rawLat);
  if (lon === undefined || lat === undefined) {
    return reject('bad_coordinates', 'longitude and latitude must be finite numbers or numeric strings');
  }
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
    return reject('out_of_range', 'latitude must be within [-90, 90] and longitude within [-180, 180]');
  }

  let ts = receivedAt;
  if (r.ts !== undefined && r.ts !== null && r.ts !== '') {
    const given = toFiniteNumber(r.ts);
    if (
      given === undefined ||
      !Number.isInteger(given) ||
      given < MIN_TS ||
      given > receivedAt + MAX_FUTURE_MS
    ) {
      return reject('bad_ts', 'ts must be an integer count of milliseconds since 1970, not in the future');
    }
    ts = given;
  }

  let crs: Crs = DEFAULT_CRS;
  if (r.crs !== undefined && r.crs !== null && r.crs !== '') {
    if (typeof r.crs !== 'string' || !(CRS_VALUES as readonly string[]).includes(r.crs.toLowerCase())) {
      return reject('bad_field', `crs must be one of ${CRS_VALUES.join(', ')}`);
    }
    crs = r.crs.toLowerCase() as Crs;
  }

  const fix: Fix = { uid, lat, lon, ts, crs };
  let dropped: DroppedField[] | undefined;
  for (const key of OPTIONAL_NUMBERS) {
    const v = r[key];
    if (v === undefined || v === null || v === '') continue;
    const n = toFiniteNumber(v);
    if (n === undefined) return reject('bad_field', `${key} must be a finite number`);
    // wx reports speed -1 when it is unknown: leave it out (counted) rather than store a false speed.
    if (key === 'speed' && !isSpeedInRange(n)) (dropped ??= []).push('speed');
    else fix[key] = n;
  }
  const heading = r.heading ?? r.direction;
  if (heading !== undefined && heading !== null && heading !== '') {
    const n = toFiniteNumber(heading);
    if (n === undefined) return reject('bad_field', 'heading/direction must be a finite number');
    // wx reports -1 when the heading is unknown: leave it out (counted) rather than store a false direction.
    if (isHeadingInRange(n)) fix.heading = n;
    else (dropped ??= []).push('heading');
  }
  if (r.cid !== undefined && r.cid !== null && r.cid !== '') {
    if (typeof r.cid !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(r.cid)) {
      return reject('bad_field', 'cid must be 1-64 of [A-Za-z0-9_.:-]');
    }
    fix.cid = r.cid;
  }
  return dropped === undefined ? { ok: true, value: fix } : { ok: true, value: fix, dropped };
}

/** Missing, null, or a string with nothing but whitespace (PHP `input()` gives `""` for a missing field). */
function isBlankValue(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Parse one raw Redis message (a string or Buffer) into a canonical fix. Size is checked before parsing so a
 * huge message costs nothing. The usual shapes are read by `scanRawFix` without JSON.parse; anything it declines
 * (and every refusal) takes the JSON path, with the same result.
 */
export function parseRawFix(message: string | Buffer, receivedAt: number): ParseResult<Fix> {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: a short string needs no byte count.
  const size =
    typeof message !== 'string'
      ? message.length
      : message.length * 3 <= MAX_RAW_FIX_BYTES
        ? message.length
        : Buffer.byteLength(message);
  if (size > MAX_RAW_FIX_BYTES)
    return reject('too_large', `a fix message may be at most ${MAX_RAW_FIX_BYTES} bytes`);
  if (typeof message === 'string') {
    const scanned = scanRawFix(message, receivedAt);
    if (scanned !== undefined) return { ok: true, value: scanned };
  }
  return parseRawFixJson(message, receivedAt);
}

/**
 * `parseRawFix` without the size check and the fast path (raw-fix-scan.ts): JSON.parse, then `normalizeRawFix`.
 * Exported for the test that both paths agree.
 */
export function parseRawFixJson(message: string | Buffer, receivedAt: number): ParseResult<Fix> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(typeof message === 'string' ? message : message.toString('utf8'));
  } catch {
    return reject('not_json', 'the message is not valid JSON');
  }
  return normalizeRawFix(decoded, receivedAt);
}

/** Runtime schema of a canonical fix, for places that receive one from another component (station, renderer). */
export const fixSchema = z.object({
  uid: z.string().regex(UID_PATTERN),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  ts: z.number().int().nonnegative(),
  crs: z.enum(CRS_VALUES),
  speed: z.number().optional(),
  accuracy: z.number().optional(),
  altitude: z.number().optional(),
  verticalAccuracy: z.number().optional(),
  horizontalAccuracy: z.number().optional(),
  heading: z.number().optional(),
  cid: z.string().max(64).optional(),
  epoch: z.string().max(64).optional(),
  offset: z.number().int().positive().optional(),
});

export const fixPositionSchema = z.object({
  epoch: z.string().min(1).max(64),
  offset: z.number().int().nonnegative(),
});
