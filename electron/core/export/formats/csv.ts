/** CSV (RFC 4180: CRLF line ends, fields with `"`, `,` or line breaks quoted, quotes doubled), one row per fix. */
import { degrees, isoTime } from '../point.js';
import type { TrackFormat } from './format.js';

export const CSV_HEADER = [
  'uid',
  'time',
  'ts',
  'lat',
  'lon',
  'altitude',
  'speed',
  'accuracy',
  'heading',
  'source_crs',
];

/**
 * One CSV field. Text starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`: spreadsheets would run it
 * as a formula (CSV injection), and member ids and labels come from outside.
 */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csv: TrackFormat = {
  format: 'csv',
  extension: 'csv',
  mediaType: 'text/csv',
  passes: 1,
  begin: () => `${CSV_HEADER.join(',')}\r\n`,
  beginPass: () => '',
  point: (p) =>
    [
      csvField(p.uid),
      isoTime(p.ts),
      String(p.ts),
      degrees(p.lat),
      degrees(p.lon),
      csvField(p.altitude),
      csvField(p.speed),
      csvField(p.accuracy),
      csvField(p.heading),
      p.sourceCrs,
    ].join(',') + '\r\n',
  endPass: () => '',
  end: () => '',
};
