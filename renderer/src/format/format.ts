/**
 * Numbers the dispatcher reads, per locale: distance, duration, speed, time. Units follow what dispatchers in
 * each language expect (公里/米 and km/m); numbers go through Intl so separators are right.
 */
import type { Locale } from '../../../contract/station-api.js';
import { dateFormat, numberFormat } from './intl-cache.js';

const UNITS = {
  en: { m: 'm', km: 'km', kmh: 'km/h', h: 'h', min: 'min', s: 's' },
  'zh-CN': { m: '米', km: '公里', kmh: '公里/时', h: '小时', min: '分', s: '秒' },
} as const satisfies Record<Locale, Record<string, string>>;

function number(value: number, locale: Locale, digits: number): string {
  return numberFormat(locale, {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(value);
}

export function formatDistance(metres: number, locale: Locale): string {
  const u = UNITS[locale];
  if (!Number.isFinite(metres) || metres < 0) return '–';
  if (metres < 1000) return `${number(Math.round(metres), locale, 0)} ${u.m}`;
  return `${number(metres / 1000, locale, metres < 100_000 ? 2 : 1)} ${u.km}`;
}

export function formatDuration(ms: number, locale: Locale): string {
  const u = UNITS[locale];
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const sep = locale === 'en' ? ' ' : '';
  if (h > 0) return `${h}${sep}${u.h}${sep}${String(m).padStart(2, '0')}${sep}${u.min}`;
  if (m > 0) return `${m}${sep}${u.min}${sep}${String(s).padStart(2, '0')}${sep}${u.s}`;
  return `${s}${sep}${u.s}`;
}

/** Speed from metres per second, shown in km/h. */
export function formatSpeed(mps: number, locale: Locale): string {
  if (!Number.isFinite(mps) || mps < 0) return '–';
  return `${number(mps * 3.6, locale, 1)} ${UNITS[locale].kmh}`;
}

/** Date and time of a fix, in the viewer's zone (`timeZone` is for tests). */
export function formatTime(ms: number, locale: Locale, timeZone?: string): string {
  return dateFormat(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    ...(timeZone ? { timeZone } : {}),
  }).format(ms);
}

/** "12 s ago" style age of the latest fix, coarse on purpose: it is re-rendered rarely. */
export function formatAge(ms: number, locale: Locale): string {
  return formatDuration(Math.max(0, Math.floor(ms / 1000) * 1000), locale);
}
