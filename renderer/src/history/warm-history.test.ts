import { describe, expect, it } from 'vitest';
import { analyzeTrack } from '../../../contract/track/analyze.js';
import { DEFAULT_TRACK_SETTINGS } from '../../../contract/track/settings.js';
import { madeUpTrack, warmUpStages } from './warm-history.js';

describe('history warm-up', () => {
  it('runs the analysis through a segment and a stop, so both code paths are compiled before the first load', () => {
    const analysis = analyzeTrack(madeUpTrack(), DEFAULT_TRACK_SETTINGS);
    expect(analysis.segments.length).toBeGreaterThanOrEqual(1);
    expect(analysis.stops.length).toBe(1);
  });

  it('has stages that run without a page, except the canvas and the mount', () => {
    const stages = warmUpStages('zh-CN', 'gcj02');
    expect(stages).toHaveLength(5);
    // Stage 1 is the canvas font, stage 4 the reports' first mount: they need a document, which the real page has
    // (test/e2e/station.e2e.test.ts).
    for (const k of [0, 2, 3]) expect(() => stages[k]!()).not.toThrow();
  });
});
