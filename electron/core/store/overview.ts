/**
 * The station's side of `historyOverview`: the member's columns (through the range cache, so the columns the page
 * asks for next are a copy of arrays), the holes the store recorded, and the shared analysis
 * (contract/track/overview.ts).
 */
import type { DataHole, OverviewQuery, TrackColumns } from '../../../contract/station-api.js';
import { trackOverview, type TrackOverview } from '../../../contract/track/overview.js';
import { DEFAULT_TRACK_SETTINGS, normalizeTrackSettings } from '../../../contract/track/settings.js';
import { emptyColumns } from '../../../contract/track/columns.js';

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

/** How often the store runs `warmOverview` after the first three. */
export const WARM_EVERY_MS = 15_000;

/** Fixes of the made-up track: with a few hundred the code is compiled but still runs unoptimised on a real day. */
const WARM_FIXES = 7_200;

/**
 * Runs the overview on a made-up two-hour track, so V8 has compiled and optimised it before a real one: a cold
 * first overview of a member's day took 35-100 ms against ~8 ms warm. The store runs it at open and then every
 * WARM_EVERY_MS (index.ts): V8 drops the compiled code of functions that have not run over a few garbage
 * collections, and a station storing live fixes collects often (in the benchmark, after seeding the store, the
 * first overview was as slow as with no warm-up at all).
 */
export function warmOverview(): void {
  const track = emptyColumns('warm-up', WARM_FIXES);
  const t0 = Date.UTC(2026, 0, 1);
  let seed = 1;
  const jitter = () => ((seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647 - 0.5) * 2e-4;
  for (let i = 0; i < WARM_FIXES; i++) {
    // 20 minutes on the move, 10 standing (a stop), in turn; a 10-minute dropout halfway.
    const moved = Math.floor(i / 1_800) * 1_200 + Math.min(i % 1_800, 1_200);
    const moving = i % 1_800 < 1_200;
    track.ts[i] = t0 + i * 1000 + (i > WARM_FIXES / 2 ? 600_000 : 0);
    track.lat[i] = 31.2 + moved * 7e-5 + jitter();
    track.lon[i] = 121.4 + moved * 4e-5 + jitter();
    track.speed[i] = moving ? 8.3 + jitter() * 1e4 : 0.2;
    track.accuracy[i] = i % 97 === 0 ? 300 : 12.5;
    track.arrival[i] = (i >> 9) & 7;
  }
  track.count = track.totalCount = WARM_FIXES;
  // Through the same entry as a real call: objects of other shapes (the settings) made V8 drop the optimised code
  // on the first real call.
  const to = t0 + 3 * 3_600_000;
  overviewOf(track, { uid: track.uid, from: t0, to, settings: { ...DEFAULT_TRACK_SETTINGS } }, [], to);
}
