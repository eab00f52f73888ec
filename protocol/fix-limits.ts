/**
 * Limits a raw fix is checked against, shared by `parseRawFix`'s two paths (fix.ts and raw-fix-scan.ts). Kept free
 * of imports so both can use it without importing each other.
 */

/** Coordinate systems a fix may be in. `gcj02` is what wx.onLocationChange returns in mainland China. */
export const CRS_VALUES = ['gcj02', 'wgs84', 'bd09'] as const;
export type Crs = (typeof CRS_VALUES)[number];
export const DEFAULT_CRS: Crs = 'gcj02';

/** Raw messages above this size are refused before parsing: a fix is ~200 bytes. */
export const MAX_RAW_FIX_BYTES = 4096;

/** Member ids: what the customer's PHP puts in `uid` (an integer id), as a string. */
export const UID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Earliest fix time accepted: 2000-01-01. Anything before is a unit mistake (seconds instead of ms). */
export const MIN_TS = 946_684_800_000;
/** Fix times further in the future than this are refused: clocks drift, but not by a day. */
export const MAX_FUTURE_MS = 24 * 3600 * 1000;

/** Speeds below 0 mean "unknown" (wx: -1): the field is dropped, the fix kept. */
export const isSpeedInRange = (speed: number): boolean => speed >= 0;
/** Headings are degrees in [0, 360); anything else (wx: -1 for unknown) drops the field, the fix is kept. */
export const isHeadingInRange = (heading: number): boolean => heading >= 0 && heading < 360;
