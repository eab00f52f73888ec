/**
 * Loading a period for several members: each member's fixes as typed columns straight from the store (no
 * downsampling: segments, stops and figures need every fix; drawing simplifies per zoom level instead), the holes
 * the store recorded, and the analysis. Members load one after another so progress can say how far it got; each is
 * analysed as soon as it arrives, while the host still sends the others.
 */
import type { StationApi, TrackColumns, WatchedMember } from '../../../contract/station-api.js';
import { analyzeTrack } from '../../../contract/track/analyze.js';
import { summarizeArrival } from '../../../contract/track/arrival.js';
import type { TrackHole, TrackRange } from '../../../contract/track/segments.js';
import type { TrackSettings } from '../../../contract/track/settings.js';
import type { HistoryMember } from './history-types.js';
import { readHoles } from './holes-seam.js';

export interface LoadedTrack {
  member: WatchedMember;
  track: TrackColumns;
  holes: TrackHole[];
  /** The period asked for and when it was loaded: silence at its edges counts as missing data. */
  range: TrackRange;
  /** Analysed on arrival with these settings (the same object: changed settings analyse again). */
  analysed?: { settings: TrackSettings; member: HistoryMember };
}

export async function loadTracks(
  station: Pick<StationApi, 'queryRange'>,
  members: readonly WatchedMember[],
  range: { from: number; to: number },
  onProgress: (done: number, total: number) => void,
  signal: { cancelled: boolean },
  settings?: TrackSettings,
  prepare?: (track: TrackColumns) => void,
): Promise<LoadedTrack[] | undefined> {
  const out: LoadedTrack[] = [];
  onProgress(0, members.length);
  // Asked for together: the host answers them in turn, and the round trips overlap.
  const pending = members.map((member) =>
    Promise.all([station.queryRange({ uid: member.uid, ...range }), readHoles(station, member.uid, range)]),
  );
  for (const [k, member] of members.entries()) {
    const [track, holes] = await pending[k]!;
    if (signal.cancelled) return undefined;
    const loaded: LoadedTrack = { member, track, holes, range: { ...range, now: Date.now() } };
    if (settings) loaded.analysed = { settings, member: analyzeOne(loaded, settings) };
    prepare?.(track);
    out.push(loaded);
    onProgress(k + 1, members.length);
  }
  return out;
}

function analyzeOne({ member, track, holes, range }: LoadedTrack, settings: TrackSettings): HistoryMember {
  return {
    uid: member.uid,
    label: member.label,
    color: member.color,
    track,
    holes,
    analysis: analyzeTrack(track, settings, holes, range),
    arrival: summarizeArrival(track, settings.gapMs),
  };
}

export function analyzeAll(tracks: readonly LoadedTrack[], settings: TrackSettings): HistoryMember[] {
  return tracks.map((t) => (t.analysed?.settings === settings ? t.analysed.member : analyzeOne(t, settings)));
}
