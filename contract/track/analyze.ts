/** Everything history review derives from one member's track, in one call (the renderer and the exports share it). */
import type { TrackColumns } from '../station-api.js';
import { trackFigures, type TrackFigures } from './figures.js';
import {
  edgeGaps,
  splitSegments,
  type Segmentation,
  type TrackGap,
  type TrackHole,
  type TrackRange,
} from './segments.js';
import type { TrackSettings } from './settings.js';
import { detectStops, setAsideMask, type TrackStop } from './stops.js';

export interface TrackAnalysis extends Segmentation {
  stops: TrackStop[];
  figures: TrackFigures;
  /** 1 where a fix is set aside by the figures (kept in the raw track and the exports). */
  setAside: Uint8Array;
}

export function analyzeTrack(
  track: TrackColumns,
  settings: TrackSettings,
  holes: readonly TrackHole[] = [],
  range?: TrackRange,
): TrackAnalysis {
  const split = splitSegments(track, settings, holes);
  // Edge gaps count as missing data in the figures and the gap list; they cut no segment (there is no fix beyond).
  const segmentation = range ? withEdgeGaps(split, edgeGaps(track, settings.gapMs, range)) : split;
  const aside = setAsideMask(track, segmentation, settings.maxAccuracyM);
  const stops = detectStops(track, segmentation, settings, aside.mask);
  const figures = trackFigures(track, segmentation, stops, aside);
  return { ...segmentation, stops, figures, setAside: aside.mask };
}

function withEdgeGaps(split: Segmentation, edges: readonly TrackGap[]): Segmentation {
  if (edges.length === 0) return split;
  const gaps = [...split.gaps, ...edges].sort((a, b) => a.fromTs - b.fromTs);
  return { ...split, gaps };
}
