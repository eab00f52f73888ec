/**
 * The station's side of `historyOverview`: the member's columns (through the range cache, so the columns the page
 * asks for next are a copy of arrays), the holes the store recorded, and the shared analysis
 * (contract/track/overview.ts).
 */
import type { DataHole, OverviewQuery, TrackColumns } from '../../../contract/station-api.js';
import { trackOverview, type TrackOverview } from '../../../contract/track/overview.js';
import { DEFAULT_TRACK_SETTINGS, normalizeTrackSettings } from '../../../contract/track/settings.js';
import { emptyColumns } from './queries.js';

export function overviewOf(
  columns: TrackColumns,
  query: OverviewQuery,
  holes: readonly DataHole[],
  now: number,
): TrackOverview {
  return trackOverview(
    columns,
    normalizeTrackSettings(query.settings),
    holes.map((h) => ({ fromTs: h.from, toTs: h.to, reason: h.reason })),
    { from: query.from, to: query.to, now },
  );
}

/** Fixes of the made-up track: with a few hundred the code is compiled but still runs unoptimised on a real day. */
const WARM_FIXES = 7_200;

/**
 * Runs the overview on a made-up two-hour track, so V8 has compiled and optimised it before the first real one:
 * in a fresh station the first member's overview took 60-100 ms against ~10 ms for the next ones (after three
 * runs, ~45 ms: with arrivals all live the arrival runs' code stayed cold, so some are replayed, late, unknown).
 */
export function warmOverview(): void {
  const track = emptyColumns('warm-up', WARM_FIXES);
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < WARM_FIXES; i++) {
    const moving = i % 1_800 < 1_200;
    track.ts[i] = t0 + i * 1000 + (i > WARM_FIXES / 2 ? 600_000 : 0);
    track.lat[i] = 31.2 + (moving ? i : i - (i % 1_800)) * 1e-5 + Math.sin(i) * 5e-5;
    track.lon[i] = 121.4 + (moving ? i : i - (i % 1_800)) * 1e-5 + Math.cos(i) * 5e-5;
    track.speed[i] = moving ? 10 : 0;
    track.accuracy[i] = i % 97 === 0 ? 300 : 10;
    track.crs[i] = 1;
    track.arrival[i] = (i >> 9) & 7;
  }
  track.count = track.totalCount = WARM_FIXES;
  const range = { from: t0, to: t0 + 3 * 3_600_000, now: t0 + 3 * 3_600_000 };
  trackOverview(track, DEFAULT_TRACK_SETTINGS, [], range);
}
