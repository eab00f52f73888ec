/**
 * What history review holds once a period is loaded: per member, the station's overview (the analysis of every
 * fix, the outline to draw) and, once they arrived, the columns (playback, snapshot, speed chart, re-cut).
 */
import type { TrackColumns } from '../../../contract/station-api.js';
import type { ArrivalSummary } from '../../../contract/track/arrival.js';
import type { FixCounts, TrackOutline, TrackSummary } from '../../../contract/track/overview.js';
import type { TrackHole } from '../../../contract/track/segments.js';

export interface HistoryMember {
  uid: string;
  label: string;
  color: string;
  /** Fixes in the period. */
  count: number;
  firstTs?: number;
  lastTs?: number;
  /** Every fix, once the columns arrived (after the first draw); until then what needs them waits. */
  track?: TrackColumns;
  /** The track simplified for drawing (segments into its own points). */
  outline: TrackOutline;
  holes: TrackHole[];
  /** Segments, gaps, stops and figures, from every fix (on the station, or in the page after a re-cut). */
  analysis: TrackSummary;
  /** What a catch-up or backfill filled in, and what arrived late. */
  arrival: ArrivalSummary;
  /** Fixes per bucket, for the data-health strip. */
  counts: FixCounts;
}

export interface LoadedHistory {
  /** Changes with each Load: the map fits a new period once. */
  loadId: number;
  from: number;
  to: number;
  members: HistoryMember[];
  gapStyle: GapStyle;
  /** Milliseconds from choosing the period to every overview loaded (the first draw follows). */
  loadMs: number;
  /** Members whose columns arrived, of all. */
  columns: { done: number; total: number };
}

/** How gaps are drawn on the map: not at all, or as a faint dashed line between the segments. */
export type GapStyle = 'hidden' | 'dashed';
