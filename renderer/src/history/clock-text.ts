/** Short local clock times for lists ("14:02"), with the date only when the span crosses midnight. */
import type { Locale } from '../../../contract/station-api.js';
import { dateFormat } from '../format/intl-cache.js';

export function formatClock(ms: number, locale: Locale, withSeconds = false, timeZone?: string): string {
  return dateFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds && { second: '2-digit' }),
    // Not `hour12: false`: with it, en renders midnight as "24:00".
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  }).format(ms);
}

/** Spans shorter than this are given to the second: in minutes a 29 s gap read "14:15–14:15". */
const SECONDS_BELOW_MS = 10 * 60_000;

/** The day of `ms` as month and day ("11/30"). */
export function formatDay(ms: number, locale: Locale, timeZone?: string): string {
  return dateFormat(locale, { month: '2-digit', day: '2-digit', ...(timeZone ? { timeZone } : {}) }).format(
    ms,
  );
}

export function formatSpan(from: number, to: number, locale: Locale, timeZone?: string): string {
  const day = (ms: number) => formatDay(ms, locale, timeZone);
  const sameDay = day(from) === day(to);
  const seconds = to - from < SECONDS_BELOW_MS;
  const a = formatClock(from, locale, seconds, timeZone);
  const b = formatClock(to, locale, seconds, timeZone);
  return sameDay ? `${a}–${b}` : `${day(from)} ${a}–${day(to)} ${b}`;
}
