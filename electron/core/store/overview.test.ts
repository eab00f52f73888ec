/**
 * `historyOverview` on the station against the page's own analysis of the same columns: a generated day (1 Hz, a
 * 30-minute dropout, five stops, 10 m jitter, a catch-up and late fixes) in a real SQLite store, with a hole the
 * store recorded. The figures, gaps and stops must be the same numbers, and the outline a subset of the fixes that
 * never joins two segments.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeTrack } from '../../../contract/track/analyze.js';
import { summarizeArrival } from '../../../contract/track/arrival.js';
import type { TrackOverview } from '../../../contract/track/overview.js';
import { DEFAULT_TRACK_SETTINGS, type TrackSettings } from '../../../contract/track/settings.js';
import { seedYesterday, yesterdayStart } from '../../../scripts/lib/history-seed.js';
import { openTrackStore, type TrackStore } from './index.js';

let dir: string;
let store: TrackStore;
const NOW = Date.UTC(2026, 11, 1, 8, 0, 0);
const FROM = yesterdayStart(NOW, 480);
const TO = FROM + 86_400_000;
const UID = '42';
const HOLE = { uid: UID, from: FROM + 17 * 3_600_000, to: FROM + 17 * 3_600_000 + 20 * 60_000 };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lodestar-overview-'));
  store = openTrackStore({ dir });
  await seedYesterday(store, [UID], { now: NOW, utcOffsetMin: 480 });
  // A hole the station recorded, with fixes on both sides: it cuts a segment the times alone would not.
  store.recordHole({ ...HOLE, reason: 'lost', missing: 1200 });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the page computes from the columns it fetched (renderer/src/history/load-history.ts before the overview). */
function inThePage(settings: TrackSettings, now: number) {
  const track = store.range({ uid: UID, from: FROM, to: TO });
  const holes = store.holes(UID, FROM, TO);
  const {
    jumps: _j,
    setAside: _s,
    ...analysis
  } = analyzeTrack(track, settings, holes, { from: FROM, to: TO, now });
  return { track, holes, analysis, arrival: summarizeArrival(track, settings.gapMs) };
}

describe('store.overview', () => {
  it.each([
    ['the default settings', {}],
    ['a 2-minute gap, 20 m stops of 10 minutes', { gapMs: 120_000, stopRadiusM: 20, stopMinMs: 600_000 }],
  ])('has the analysis the page makes from every fix, with %s', (_name, given) => {
    const settings = { ...DEFAULT_TRACK_SETTINGS, ...given };
    const overview = store.overview({ uid: UID, from: FROM, to: TO, settings: given }, NOW);
    const page = inThePage(settings, NOW);
    expect(page.track.count).toBeGreaterThan(80_000);
    expect(overview.count).toBe(page.track.count);
    expect(overview.firstTs).toBe(page.track.ts[0]);
    expect(overview.lastTs).toBe(page.track.ts[page.track.count - 1]);
    expect(overview.settings).toEqual(settings);
    expect(overview.range).toEqual({ from: FROM, to: TO, now: NOW });
    expect(overview.holes).toEqual(page.holes);
    // Identical numbers, not close ones: the same code over the same fixes.
    expect(overview.analysis).toEqual(page.analysis);
    expect(overview.arrival).toEqual(page.arrival);
    expect(overview.analysis.stops.length).toBeGreaterThanOrEqual(5);
    expect(overview.analysis.gaps.map((g) => g.cause)).toContain('hole');
    expect(overview.arrival.filledCount).toBeGreaterThan(0);
    expect(overview.arrival.lateCount).toBeGreaterThan(0);
  });

  it('counts every fix once in its minute', () => {
    const { counts } = store.overview({ uid: UID, from: FROM, to: TO }, NOW);
    const { track } = inThePage(DEFAULT_TRACK_SETTINGS, NOW);
    expect(counts.bucketMs).toBe(60_000);
    expect(counts.from % 60_000).toBe(0);
    expect(counts.counts.reduce((a, b) => a + b, 0)).toBe(track.count);
    const minute = (t: number) => Math.floor((t - counts.from) / 60_000);
    const expected = new Uint32Array(counts.counts.length);
    for (let i = 0; i < track.count; i++) expected[minute(track.ts[i]!)]!++;
    expect(counts.counts).toEqual(expected);
  });

  describe('the outline', () => {
    let overview: TrackOverview;
    beforeAll(() => {
      overview = store.overview({ uid: UID, from: FROM, to: TO }, NOW);
    });

    it('is a small subset of the fixes, their own positions', () => {
      const { track } = inThePage(DEFAULT_TRACK_SETTINGS, NOW);
      const { outline } = overview;
      expect(outline.count).toBeGreaterThan(100);
      expect(outline.count).toBeLessThan(track.count / 8);
      for (let k = 0; k < outline.count; k++) {
        const i = outline.index[k]!;
        if (k > 0) expect(i).toBeGreaterThan(outline.index[k - 1]!);
        expect([outline.lat[k], outline.lon[k], outline.crs[k]]).toEqual([
          track.lat[i],
          track.lon[i],
          track.crs[i],
        ]);
      }
    });

    it('never draws a line across a gap: each of its segments is one of the analysis, both ends kept', () => {
      const { outline, analysis } = overview;
      expect(analysis.segments.length).toBeGreaterThan(2);
      expect(outline.segments).toHaveLength(analysis.segments.length);
      outline.segments.forEach((s, k) => {
        const segment = analysis.segments[k]!;
        expect(outline.index[s.start]).toBe(segment.start);
        expect(outline.index[s.end - 1]).toBe(segment.end - 1);
        // Every line drawn joins two fixes of the same segment: none spans a gap.
        for (let j = s.start; j < s.end; j++) {
          expect(outline.index[j]).toBeGreaterThanOrEqual(segment.start);
          expect(outline.index[j]).toBeLessThan(segment.end);
        }
      });
      for (const gap of analysis.gaps) {
        if (gap.cause === 'start' || gap.cause === 'end') continue;
        const joined = outline.segments.some(
          (s) => outline.index[s.start]! < gap.before && outline.index[s.end - 1]! >= gap.before,
        );
        expect(joined).toBe(false);
      }
    });
  });

  it('answers an empty period with an empty overview', () => {
    const overview = store.overview({ uid: UID, from: TO + 3_600_000, to: TO + 7_200_000 }, NOW);
    expect(overview).toMatchObject({ count: 0, outline: { count: 0, segments: [] } });
    expect(overview.analysis.segments).toEqual([]);
    expect(overview.firstTs).toBeUndefined();
  });
});
