/**
 * `scanRawFix`: `parseRawFix`'s fast path for the raw fixes PHP and the mini-program actually send, one flat JSON
 * object without whitespace, such as `{"uid":42,"longitude":"113.26","latitude":"23.12","ts":1764000000000}`.
 * JSON.parse and the generic validation were the largest item of the relay's CPU per fix after the socket writes.
 *
 * It only ever accepts: it returns the fix `parseRawFix`'s JSON path would return, or `undefined` whenever it is not
 * sure, and the caller then runs the JSON path, which also gives every refusal its reason. So it declines anything
 * it does not read exactly: whitespace, escapes, control characters, nested values, a known key twice, both of two
 * aliases (`longitude`/`lon`, `latitude`/`lat`, `heading`/`direction`), every value that would be refused, and
 * numbers it cannot convert exactly. raw-fix-scan.test.ts checks both paths agree, by table and on generated messages.
 */
import type { Fix } from './fix.js';
import {
  CRS_VALUES,
  DEFAULT_CRS,
  MAX_FUTURE_MS,
  MIN_TS,
  isHeadingInRange,
  isSpeedInRange,
} from './fix-limits.js';

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

/** Known keys, one bit each: a key seen twice makes the scan decline (JSON.parse would keep the last one). */
const UID = 1;
const LONGITUDE = 2;
const LON = 4;
const LATITUDE = 8;
const LAT = 16;
const TS = 32;
const CRS = 64;
const SPEED = 128;
const ACCURACY = 256;
const ALTITUDE = 512;
const VERTICAL_ACCURACY = 1024;
const HORIZONTAL_ACCURACY = 2048;
const HEADING = 4096;
const DIRECTION = 8192;
const CID = 16384;
const UNKNOWN = 0;

/** Powers of ten that are exact doubles: a ≤ 15-digit integer divided by one of them is correctly rounded. */
const EXACT_POWERS = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
/** Digits an integer may have and still be exact in a double (2^53 has 16). */
const EXACT_DIGITS = 15;

const isDigit = (code: number): boolean => code >= ZERO && code <= NINE;

/** [A-Za-z0-9_.:-], the characters of UID_PATTERN and of a cid. */
function isIdChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    isDigit(code) ||
    code === 95 || // _
    code === DOT ||
    code === COLON ||
    code === MINUS
  );
}

function keyBit(text: string, start: number, length: number): number {
  switch (length) {
    case 2:
      return text.startsWith('ts', start) ? TS : UNKNOWN;
    case 3:
      if (text.startsWith('uid', start)) return UID;
      if (text.startsWith('lon', start)) return LON;
      if (text.startsWith('lat', start)) return LAT;
      if (text.startsWith('crs', start)) return CRS;
      return text.startsWith('cid', start) ? CID : UNKNOWN;
    case 5:
      return text.startsWith('speed', start) ? SPEED : UNKNOWN;
    case 7:
      return text.startsWith('heading', start) ? HEADING : UNKNOWN;
    case 8:
      if (text.startsWith('latitude', start)) return LATITUDE;
      if (text.startsWith('accuracy', start)) return ACCURACY;
      return text.startsWith('altitude', start) ? ALTITUDE : UNKNOWN;
    case 9:
      if (text.startsWith('longitude', start)) return LONGITUDE;
      return text.startsWith('direction', start) ? DIRECTION : UNKNOWN;
    case 16:
      return text.startsWith('verticalAccuracy', start) ? VERTICAL_ACCURACY : UNKNOWN;
    case 18:
      return text.startsWith('horizontalAccuracy', start) ? HORIZONTAL_ACCURACY : UNKNOWN;
    default:
      return UNKNOWN;
  }
}

/**
 * The scan position and the last value read. A value is one of: a number (`kind` NUMBER, in `number`), a string
 * (`kind` STRING, between `start` and `end`), null, true/false (OTHER), so no value allocates.
 */
const NUMBER = 1;
const STRING = 2;
const NULL = 3;
const OTHER = 4;

interface Cursor {
  text: string;
  at: number;
  kind: number;
  number: number;
  start: number;
  end: number;
}

/**
 * A decimal number from `start`: `[+-]?digits[.digits]` when `json` is false (the strings isDecimalLiteral accepts,
 * minus exponents), or JSON's `-?(0|[1-9]digits)[.digits][e[+-]digits]` when true. Returns the index after it, or
 * -1 if the text there is not such a number (or `json` and it is not valid JSON). The value goes to `c.number`,
 * NaN when the scan cannot convert it exactly (the caller declines then).
 */
function scanNumber(c: Cursor, start: number, json: boolean): number {
  const { text } = c;
  let i = start;
  let code = text.charCodeAt(i);
  let negative = false;
  if (code === MINUS || (!json && code === PLUS)) {
    negative = code === MINUS;
    code = text.charCodeAt(++i);
  }
  let mantissa = 0;
  let digits = 0;
  let significant = 0;
  const intStart = i;
  while (isDigit(code)) {
    mantissa = mantissa * 10 + (code - ZERO);
    digits++;
    if (mantissa !== 0) significant++;
    code = text.charCodeAt(++i);
  }
  // JSON: an integer part of one or more digits, no leading zero.
  if (json && (digits === 0 || (digits > 1 && text.charCodeAt(intStart) === ZERO))) return -1;
  let fraction = 0;
  if (code === DOT) {
    code = text.charCodeAt(++i);
    const fractionStart = i;
    while (isDigit(code)) {
      mantissa = mantissa * 10 + (code - ZERO);
      if (mantissa !== 0) significant++;
      code = text.charCodeAt(++i);
    }
    fraction = i - fractionStart;
    digits += fraction;
    if (json && fraction === 0) return -1;
  }
  if (digits === 0) return -1;
  if (code === 101 || code === 69) {
    // e E: valid JSON, but converted by Number() below, never by hand.
    if (!json) return -1;
    code = text.charCodeAt(++i);
    if (code === PLUS || code === MINUS) code = text.charCodeAt(++i);
    const exponentStart = i;
    while (isDigit(code)) code = text.charCodeAt(++i);
    if (i === exponentStart) return -1;
    c.number = Number(text.slice(start, i));
    return i;
  }
  // m / 10^k with m < 2^53 and 10^k exact is the correctly rounded value, as Number() and JSON.parse give.
  if (significant > EXACT_DIGITS || fraction > EXACT_DIGITS) {
    c.number = Number(text.slice(start, i));
  } else {
    const value = mantissa / (EXACT_POWERS[fraction] as number);
    c.number = negative ? -value : value;
  }
  return i;
}

/** Read one value at `c.at`; false to decline (not a value this scan reads exactly). */
function scanValue(c: Cursor): boolean {
  const { text } = c;
  const i = c.at;
  const code = text.charCodeAt(i);
  if (code === QUOTE) {
    let j = i + 1;
    for (;;) {
      const ch = text.charCodeAt(j);
      if (ch === QUOTE) break;
      // A backslash (escape), a control character (invalid JSON) or the end of the text (NaN).
      if (!(ch >= 0x20) || ch === BACKSLASH) return false;
      j++;
    }
    c.kind = STRING;
    c.start = i + 1;
    c.end = j;
    c.at = j + 1;
    return true;
  }
  if (code === MINUS || isDigit(code)) {
    const next = scanNumber(c, i, true);
    if (next < 0) return false;
    c.kind = NUMBER;
    c.at = next;
    return true;
  }
  const literal = text.startsWith('null', i)
    ? 4
    : text.startsWith('true', i)
      ? 4
      : text.startsWith('false', i)
        ? 5
        : 0;
  if (literal === 0) return false; // an object, an array or not JSON
  c.kind = code === 110 ? NULL : OTHER; // n
  c.at = i + literal;
  return true;
}

/** The value just read as a finite number, from a number or a numeric string; NaN if it is neither. */
function numberOf(c: Cursor): number {
  if (c.kind === NUMBER) return Number.isFinite(c.number) ? c.number : NaN;
  if (c.kind !== STRING || c.start === c.end) return NaN;
  if (scanNumber(c, c.start, false) !== c.end) return NaN;
  return Number.isFinite(c.number) ? c.number : NaN;
}

/** Whether the value just read is absent for the JSON path: null or "". */
const isBlank = (c: Cursor): boolean => c.kind === NULL || (c.kind === STRING && c.start === c.end);

/** The value just read as an id (uid, cid): 1-64 of [A-Za-z0-9_.:-], else undefined. */
function idOf(c: Cursor): string | undefined {
  if (c.kind !== STRING || c.end - c.start < 1 || c.end - c.start > 64) return undefined;
  for (let i = c.start; i < c.end; i++) if (!isIdChar(c.text.charCodeAt(i))) return undefined;
  return c.text.slice(c.start, c.end);
}

/** The value just read as a uid given as a number: a non-negative integer of at most 15 digits, as written. */
function numericUidOf(c: Cursor, valueStart: number): string | undefined {
  const { text } = c;
  if (c.kind !== NUMBER || !Number.isInteger(c.number) || c.number < 0) return undefined;
  const end = c.at;
  if (end - valueStart > EXACT_DIGITS) return undefined;
  for (let i = valueStart; i < end; i++) if (!isDigit(text.charCodeAt(i))) return undefined; // -0, 1.0, 1e3
  return text.slice(valueStart, end);
}

/** One cursor for every scan (a scan runs to its end synchronously): no allocation per message. */
const cursor: Cursor = { text: '', at: 0, kind: 0, number: 0, start: 0, end: 0 };

/** The same fix `normalizeRawFix(JSON.parse(text), receivedAt)` accepts, or undefined to use that path. */
export function scanRawFix(text: string, receivedAt: number): Fix | undefined {
  const last = text.length - 1;
  if (text.charCodeAt(0) !== OPEN_BRACE || text.charCodeAt(last) !== CLOSE_BRACE) return undefined;
  const c = cursor;
  c.text = text;
  c.at = 1;
  let seen = 0;
  let uid: string | undefined;
  let lon = NaN;
  let lat = NaN;
  let ts = receivedAt;
  let crs: Fix['crs'] = DEFAULT_CRS;
  let speed: number | undefined;
  let accuracy: number | undefined;
  let altitude: number | undefined;
  let verticalAccuracy: number | undefined;
  let horizontalAccuracy: number | undefined;
  let heading: number | undefined;
  let cid: string | undefined;

  for (;;) {
    // "key":
    if (text.charCodeAt(c.at) !== QUOTE) return undefined;
    const keyStart = c.at + 1;
    let keyEnd = keyStart;
    for (;;) {
      const ch = text.charCodeAt(keyEnd);
      if (ch === QUOTE) break;
      if (!(ch >= 0x20) || ch === BACKSLASH) return undefined;
      keyEnd++;
    }
    if (text.charCodeAt(keyEnd + 1) !== COLON) return undefined;
    const bit = keyBit(text, keyStart, keyEnd - keyStart);
    if ((seen & bit) !== 0) return undefined;
    seen |= bit;
    const valueStart = keyEnd + 2;
    c.at = valueStart;
    if (!scanValue(c)) return undefined;

    switch (bit) {
      case UID:
        uid = c.kind === NUMBER ? numericUidOf(c, valueStart) : idOf(c);
        if (uid === undefined) return undefined;
        break;
      case LONGITUDE:
      case LON:
        lon = numberOf(c);
        if (!(lon >= -180 && lon <= 180)) return undefined;
        break;
      case LATITUDE:
      case LAT:
        lat = numberOf(c);
        if (!(lat >= -90 && lat <= 90)) return undefined;
        break;
      case TS:
        if (!isBlank(c)) {
          ts = numberOf(c);
          if (!Number.isInteger(ts) || ts < MIN_TS || ts > receivedAt + MAX_FUTURE_MS) return undefined;
        }
        break;
      case CRS:
        if (!isBlank(c)) {
          if (c.kind !== STRING) return undefined;
          const lower = text.slice(c.start, c.end).toLowerCase();
          const known = CRS_VALUES.find((value) => value === lower);
          if (known === undefined) return undefined;
          crs = known;
        }
        break;
      case CID:
        if (!isBlank(c)) {
          cid = idOf(c);
          if (cid === undefined) return undefined;
        }
        break;
      case UNKNOWN:
        break;
      default: {
        // speed, accuracy, altitude, verticalAccuracy, horizontalAccuracy, heading, direction
        if (isBlank(c)) break;
        const n = numberOf(c);
        if (Number.isNaN(n)) return undefined;
        // A speed or heading the JSON path drops (and reports as dropped, for counting): take that path.
        if (bit === SPEED) {
          if (!isSpeedInRange(n)) return undefined;
          speed = n;
        } else if (bit === ACCURACY) accuracy = n;
        else if (bit === ALTITUDE) altitude = n;
        else if (bit === VERTICAL_ACCURACY) verticalAccuracy = n;
        else if (bit === HORIZONTAL_ACCURACY) horizontalAccuracy = n;
        else if (isHeadingInRange(n)) heading = n;
        else return undefined;
      }
    }

    const next = text.charCodeAt(c.at);
    if (next === COMMA) {
      c.at++;
      continue;
    }
    if (next === CLOSE_BRACE && c.at === last) break;
    return undefined;
  }

  // Aliases: the JSON path takes `longitude ?? lon`, `heading ?? direction`; only one of each is read here.
  if ((seen & (LONGITUDE | LON)) === (LONGITUDE | LON) || (seen & (LATITUDE | LAT)) === (LATITUDE | LAT)) {
    return undefined;
  }
  if ((seen & (HEADING | DIRECTION)) === (HEADING | DIRECTION)) return undefined;
  if (uid === undefined || Number.isNaN(lon) || Number.isNaN(lat)) return undefined;

  // The JSON path's property order, so both give the same object shape and the same JSON.
  const fix: Fix = { uid, lat, lon, ts, crs };
  if (speed !== undefined) fix.speed = speed;
  if (accuracy !== undefined) fix.accuracy = accuracy;
  if (altitude !== undefined) fix.altitude = altitude;
  if (verticalAccuracy !== undefined) fix.verticalAccuracy = verticalAccuracy;
  if (horizontalAccuracy !== undefined) fix.horizontalAccuracy = horizontalAccuracy;
  if (heading !== undefined) fix.heading = heading;
  if (cid !== undefined) fix.cid = cid;
  return fix;
}
