/**
 * Time-range presets of history review. Pure arithmetic on a UTC offset (the caller passes the local one) so the
 * table tests do not depend on the machine's time zone. China has no daylight saving time; elsewhere a preset on
 * a DST change day may be off by the shift, which is harmless for choosing a review range.
 */
export const TIME_PRESETS = ['lastHour', 'today', 'yesterday', 'last24h', 'custom'] as const;
export type TimePreset = (typeof TIME_PRESETS)[number];

export interface TimeRange {
  from: number;
  to: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** This machine's UTC offset at `ms`, in minutes east of UTC (what the functions here take). */
export function localUtcOffset(ms: number): number {
  return -new Date(ms).getTimezoneOffset();
}

/** Local midnight (for a zone `utcOffsetMinutes` east of UTC) of the day that contains `ms`. */
export function startOfLocalDay(ms: number, utcOffsetMinutes: number): number {
  const offset = utcOffsetMinutes * 60_000;
  return Math.floor((ms + offset) / DAY) * DAY - offset;
}

/** The range a preset stands for at `now`; `custom` has none (the user gives it). */
export function presetRange(
  preset: TimePreset,
  now: number,
  utcOffsetMinutes: number,
): TimeRange | undefined {
  const midnight = startOfLocalDay(now, utcOffsetMinutes);
  switch (preset) {
    case 'lastHour':
      return { from: now - HOUR, to: now };
    case 'last24h':
      return { from: now - DAY, to: now };
    case 'today':
      return { from: midnight, to: now };
    case 'yesterday':
      return { from: midnight - DAY, to: midnight - 1 };
    case 'custom':
      return undefined;
  }
}

/**
 * `<input type="datetime-local">` value ("2026-11-27T08:30") for `ms` in the given zone, and back. With `seconds`
 * ("2026-11-27T08:30:15") for an input whose step is a second: cut to minutes, such a box showed 14:03:00 for a
 * clock at 14:03:30.
 */
export function toLocalInput(ms: number, utcOffsetMinutes: number, seconds = false): string {
  return new Date(ms + utcOffsetMinutes * 60_000).toISOString().slice(0, seconds ? 19 : 16);
}

export function fromLocalInput(value: string, utcOffsetMinutes: number): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const ms = Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`);
  return Number.isFinite(ms) ? ms - utcOffsetMinutes * 60_000 : undefined;
}

/**
 * What is wrong with a custom range, to say it precisely: a missing start or end (an empty or half-typed box), or
 * ends out of order; undefined for a range the station can be asked for.
 */
export function rangeProblem(range: Partial<TimeRange>): 'noStart' | 'noEnd' | 'order' | undefined {
  if (typeof range.from !== 'number' || !Number.isFinite(range.from)) return 'noStart';
  if (typeof range.to !== 'number' || !Number.isFinite(range.to)) return 'noEnd';
  return range.from < range.to ? undefined : 'order';
}

/** A range the station can be asked for: both ends known and in order. */
export function validRange(range: Partial<TimeRange>): range is TimeRange {
  return (
    typeof range.from === 'number' &&
    typeof range.to === 'number' &&
    Number.isFinite(range.from) &&
    Number.isFinite(range.to) &&
    range.from < range.to
  );
}

/**
 * The custom range's inputs when the user switches to it from `previous`: the period they were looking at, as of
 * now. (Filled once when the panel opened, they went stale: an hour before the page was loaded.)
 */
export function customInputsFrom(
  previous: TimePreset,
  now: number,
  utcOffsetMinutes: number,
): { from: string; to: string } {
  const r = presetRange(previous, now, utcOffsetMinutes) ?? { from: now - HOUR, to: now };
  return { from: toLocalInput(r.from, utcOffsetMinutes), to: toLocalInput(r.to, utcOffsetMinutes) };
}
