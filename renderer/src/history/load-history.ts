/**
 * Loading a period for several members in two steps. First each member's overview: the station analyses every
 * fix (segments, stops, figures, arrival runs, fixes per minute) and sends that with the track simplified for
 * drawing, ~100 kB where the columns are 3.2 MB a day, so the period is drawn and reported without waiting for
 * the fixes. Then the columns, one member after another in the background (playback, the snapshot, the speed
 * chart and a re-cut with other settings need every fix); what needs them waits for them.
 */
import type { StationApi, TrackColumns, WatchedMember } from '../../../contract/station-api.js';
import { analyzeTrack } from '../../../contract/track/analyze.js';
import { summarizeArrival } from '../../../contract/track/arrival.js';
import type { TrackOverview } from '../../../contract/track/overview.js';
import type { TrackSettings } from '../../../contract/track/settings.js';
import type { HistoryMember } from './history-types.js';

export interface LoadedTrack {
  member: WatchedMember;
  overview: TrackOverview;
  /** Every fix, once it arrived. */
  track?: TrackColumns;
  /** Analysed with these settings (the same object: changed settings analyse again). */
  analysed?: { settings: TrackSettings; track: TrackColumns | undefined; member: HistoryMember };
}

export async function loadOverviews(
  station: Pick<StationApi, 'historyOverview'>,
  members: readonly WatchedMember[],
  range: { from: number; to: number },
  settings: TrackSettings,
  onProgress: (done: number, total: number) => void,
  signal: { cancelled: boolean },
): Promise<LoadedTrack[] | undefined> {
  const out: LoadedTrack[] = [];
  onProgress(0, members.length);
  // Asked for together: the host answers them in turn, and the round trips overlap.
  const pending = members.map((member) => station.historyOverview({ uid: member.uid, ...range, settings }));
  for (const [k, member] of members.entries()) {
    const overview = await pending[k]!;
    if (signal.cancelled) return undefined;
    out.push({ member, overview });
    onProgress(k + 1, members.length);
  }
  return out;
}

/**
 * The members' columns, each handed over as it arrives (and prepared for the map, `prepare`). Asked for together:
 * the station answers them in turn from its cache (the overviews filled it), and the round trips overlap.
 */
export async function loadColumns(
  station: Pick<StationApi, 'queryRange'>,
  tracks: readonly LoadedTrack[],
  range: { from: number; to: number },
  onTrack: (k: number, track: TrackColumns) => void,
  signal: { cancelled: boolean },
  prepare?: (track: TrackColumns) => void,
): Promise<void> {
  const pending = tracks.map((loaded) => station.queryRange({ uid: loaded.member.uid, ...range }));
  for (const k of tracks.keys()) {
    const track = await pending[k]!;
    if (signal.cancelled) return;
    prepare?.(track);
    onTrack(k, track);
  }
}

export function sameSettings(a: TrackSettings, b: TrackSettings): boolean {
  return (Object.keys(a) as (keyof TrackSettings)[]).every((key) => a[key] === b[key]);
}

function analyzeOne({ member, overview, track }: LoadedTrack, settings: TrackSettings): HistoryMember {
  const base = {
    uid: member.uid,
    label: member.label,
    color: member.color,
    count: overview.count,
    ...(overview.firstTs !== undefined && { firstTs: overview.firstTs, lastTs: overview.lastTs }),
    ...(track && { track }),
    outline: overview.outline,
    holes: overview.holes,
    counts: overview.counts,
  };
  // Without the columns only the station's cut exists (the settings form waits for the columns).
  if (!track || sameSettings(settings, overview.settings))
    return { ...base, analysis: overview.analysis, arrival: overview.arrival };
  return {
    ...base,
    analysis: analyzeTrack(track, settings, overview.holes, overview.range),
    arrival: summarizeArrival(track, settings.gapMs),
  };
}

export function analyzeAll(tracks: LoadedTrack[], settings: TrackSettings): HistoryMember[] {
  return tracks.map((t) => {
    if (t.analysed?.settings === settings && t.analysed.track === t.track) return t.analysed.member;
    const member = analyzeOne(t, settings);
    t.analysed = { settings, track: t.track, member };
    return member;
  });
}
