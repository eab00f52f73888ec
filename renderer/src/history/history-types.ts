/** What history review holds once a period is loaded: per member, the columns and what was derived from them. */
import type { TrackColumns } from '../../../contract/station-api.js';
import type { TrackAnalysis } from '../../../contract/track/analyze.js';
import type { ArrivalSummary } from '../../../contract/track/arrival.js';
import type { TrackHole } from '../../../contract/track/segments.js';

export interface HistoryMember {
  uid: string;
  label: string;
  color: string;
  track: TrackColumns;
  holes: TrackHole[];
  analysis: TrackAnalysis;
  /** What a catch-up or backfill filled in, and what arrived late. */
  arrival: ArrivalSummary;
}

export interface LoadedHistory {
  from: number;
  to: number;
  members: HistoryMember[];
  gapStyle: GapStyle;
  /** Milliseconds from choosing the period to every track loaded and analysed (the first draw follows). */
  loadMs: number;
}

/** How gaps are drawn on the map: not at all, or as a faint dashed line between the segments. */
export type GapStyle = 'hidden' | 'dashed';
