/**
 * Work the history review's first load in a page did that has nothing to do with the period chosen, done instead
 * when the page is first idle (a dispatcher has the page open on the live tab long before going to history): V8
 * compiling the analysis, projection and simplification code on first call, ICU building the date, time and
 * number formatters of the report, and the canvas resolving the stop labels' font. A Chromium profile of a first
 * load had these at ~13 ms (first `fillText`), ~7 ms (first formatters) and the analysis running slower than on
 * later loads (docs/benchmarks.md, "History").
 *
 * The made-up track is two hours at 1 Hz: with a few minutes, the functions were compiled but still ran
 * unoptimised through the real day (docs/benchmarks.md, "History", "The first load in a page"). Each stage takes
 * one idle period. Nothing it builds is kept; the formatters stay in their cache (intl-cache.ts), as the report's
 * would.
 */
import type { Locale, TrackColumns } from '../../../contract/station-api.js';
import { analyzeTrack } from '../../../contract/track/analyze.js';
import { emptyColumns } from '../../../contract/track/columns.js';
import { summarizeArrival } from '../../../contract/track/arrival.js';
import { DEFAULT_TRACK_SETTINGS } from '../../../contract/track/settings.js';
import type { Crs } from '../../../protocol/fix-limits.js';
import { formatDistance, formatDuration, formatSpeed, formatTime } from '../format/format.js';
import { STOP_LABEL_FONT } from '../map/stop-label.js';
import { simplifyRange, worldTrack } from '../map/track-pixels.js';
import { formatClock, formatSpan } from './clock-text.js';
import { madeUpHistory, mountReportsOnce } from './warm-reports.js';

const FIXES = 7200;

/** Two hours at 1 Hz: moving, then standing still, so both segments and a stop are cut. */
export function madeUpTrack(): TrackColumns {
  const t0 = Date.UTC(2020, 0, 1);
  const track = emptyColumns('warm-up', FIXES);
  track.count = track.totalCount = FIXES;
  track.accuracy.fill(8);
  for (let i = 0; i < FIXES; i++) {
    const moved = Math.min(i, FIXES / 2);
    track.ts[i] = t0 + i * 1000;
    track.lat[i] = 31.2 + moved * 1e-4;
    track.lon[i] = 121.4 + moved * 1e-4;
    track.speed[i] = i < FIXES / 2 ? 12 : 0;
  }
  return track;
}

/** The warm-up's stages, each small enough for one idle period of the live tab. */
export function warmUpStages(locale: Locale, basemapCrs: Crs): (() => void)[] {
  const track = madeUpTrack();
  const [from, to] = [track.ts[0]!, track.ts[FIXES - 1]!];
  return [
    () => {
      formatTime(from, locale);
      formatClock(from, locale);
      formatClock(from, locale, true);
      formatSpan(from, to, locale);
      formatDistance(1234, locale);
      formatDistance(123, locale);
      formatDuration(to - from, locale);
      formatSpeed(12, locale);
    },
    () => {
      const ctx = document.createElement('canvas').getContext('2d');
      if (!ctx) return;
      ctx.font = STOP_LABEL_FONT;
      ctx.fillText('0123456789', 0, 0);
    },
    () => {
      analyzeTrack(track, DEFAULT_TRACK_SETTINGS);
      summarizeArrival(track, DEFAULT_TRACK_SETTINGS.gapMs);
    },
    () => {
      const world = worldTrack(track, basemapCrs);
      const view = { scale: 256 * 2 ** 14, originX: 0, originY: 0 };
      simplifyRange(world, 0, FIXES, view, 1.5, new Uint32Array(FIXES));
    },
    () => mountReportsOnce(locale, madeUpHistory(track)),
  ];
}

/**
 * The stages one idle callback each (or one a second where idle callbacks do not exist). The measure it leaves
 * (`history:warm-up`, first stage to last) shows in a Chromium profile, and lets the benchmark tell it ran before
 * the load it measures. Returns a cancel.
 */
export function warmHistoryWhenIdle(locale: Locale, basemapCrs: Crs): () => void {
  const stages = warmUpStages(locale, basemapCrs);
  let cancel = (): void => undefined;
  let started: number | undefined;
  const next = (k: number): void => {
    const run = (): void => {
      started ??= performance.now();
      try {
        stages[k]!();
      } catch (error) {
        // Only a head start: the real load does the same work and reports its own errors.
        console.warn('history warm-up failed', error);
      }
      if (k + 1 < stages.length) next(k + 1);
      else performance.measure('history:warm-up', { start: started });
    };
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(run, { timeout: 5000 });
      cancel = () => cancelIdleCallback(id);
    } else {
      const id = setTimeout(run, 1000);
      cancel = () => clearTimeout(id);
    }
  };
  next(0);
  return () => cancel();
}
