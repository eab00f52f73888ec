/** Everything history review derives from one member's track, in one call (the renderer and the exports share it). */
import type { TrackColumns } from '../station-api.js';
import { trackFigures, type TrackFigures } from './figures.js';
import { splitSegments, type Segmentation, type TrackHole } from './segments.js';
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
): TrackAnalysis {
  const segmentation = splitSegments(track, settings, holes);
  const aside = setAsideMask(track, segmentation, settings.maxAccuracyM);
  const stops = detectStops(track, segmentation, settings, aside.mask);
  const figures = trackFigures(track, segmentation, stops, aside);
  return { ...segmentation, stops, figures, setAside: aside.mask };
}
