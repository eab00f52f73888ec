/**
 * CSV (RFC 4180, CRLF): one row per fix with its local time and offset (ISO 8601), member, WGS-84 coordinates,
 * speed, accuracy and segment number, then the rest of what was stored. Stops are not rows: a row is a fix.
 */
import { degrees, isoLocalTime } from '../point.js';
import type { TrackFormat } from './format.js';

export const CSV_HEADER = [
  'member',
  'label',
  'time',
  'lat',
  'lon',
  'speed',
  'accuracy',
  'segment',
  'altitude',
  'heading',
  'source_crs',
  'ts',
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
  separator: '',
  begin: () => `${CSV_HEADER.join(',')}\r\n`,
  beginMember: () => '',
  segment: (member, number, points, meta) => {
    let out = '';
    for (const p of points) {
      out +=
        [
          csvField(p.uid),
          csvField(member.label),
          isoLocalTime(p.ts, meta.utcOffsetMinutes),
          degrees(p.lat),
          degrees(p.lon),
          csvField(p.speed),
          csvField(p.accuracy),
          String(number),
          csvField(p.altitude),
          csvField(p.heading),
          p.sourceCrs,
          String(p.ts),
        ].join(',') + '\r\n';
    }
    return out;
  },
  endMember: () => '',
  end: () => '',
};
