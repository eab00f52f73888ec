/**
 * Asks the station to analyse yesterday's overviews ahead (StationApi.prepareHistory): the review dispatchers open
 * most is yesterday's, and a first look at a member-day spent 14-94 ms of its ~150 ms on the station reading and
 * analysing every fix (docs/benchmarks.md, "History"). Asked when the page is first idle and again just after each
 * local midnight, when "yesterday" becomes another day. Only a head start: a load of a period not prepared analyses
 * it when asked, as before.
 */
import type { PrepareHistoryQuery, StationApi } from '../../../contract/station-api.js';
import { localUtcOffset, presetRange, startOfLocalDay } from './time-presets.js';

const DAY_MS = 86_400_000;
/** After midnight, a little later: the last fixes of the day that just ended are still arriving. */
const AFTER_MIDNIGHT_MS = 5 * 60_000;

/** What to ask for at `now`, and when to ask again. */
export function nextPreparation(
  now: number,
  utcOffsetMinutes: number,
): { period: PrepareHistoryQuery; againAt: number } {
  return {
    period: presetRange('yesterday', now, utcOffsetMinutes)!,
    againAt: startOfLocalDay(now, utcOffsetMinutes) + DAY_MS + AFTER_MIDNIGHT_MS,
  };
}

/** Starts asking; returns a stop. */
export function prepareYesterdayAhead(station: Pick<StationApi, 'prepareHistory'>): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let idle: number | undefined;
  const ask = (): void => {
    const now = Date.now();
    const { period, againAt } = nextPreparation(now, localUtcOffset(now));
    station.prepareHistory(period).catch((error: unknown) => {
      // A head start only; the load itself reports what goes wrong.
      console.warn('history not prepared ahead', error);
    });
    timer = setTimeout(ask, Math.max(60_000, againAt - now));
  };
  if (typeof requestIdleCallback === 'function') idle = requestIdleCallback(ask, { timeout: 5000 });
  else timer = setTimeout(ask, 1000);
  return () => {
    if (idle !== undefined) cancelIdleCallback(idle);
    clearTimeout(timer);
  };
}
