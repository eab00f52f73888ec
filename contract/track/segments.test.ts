import { describe, expect, it } from 'vitest';
import { analyzeTrack } from './analyze.js';
import { edgeGaps, segmentAt, splitSegments } from './segments.js';
import { DEFAULT_TRACK_SETTINGS } from './settings.js';
import { run, T0, track, type Row } from './test-track.js';

const S = DEFAULT_TRACK_SETTINGS;
const spans = (rows: Row[], holes = [] as { fromTs: number; toTs: number; reason: string }[]) => {
  const r = splitSegments(track(rows), S, holes);
  return {
    segments: r.segments.map((s) => [s.start, s.end]),
    gaps: r.gaps.map((g) => [g.cause, (g.fromTs - T0) / 1000, (g.toTs - T0) / 1000, g.reason ?? '']),
    jumps: [...r.jumps.keys()].filter((i) => r.jumps[i]),
  };
};

describe('splitSegments', () => {
  it.each<[string, Row[], object]>([
    ['empty track', [], { segments: [], gaps: [], jumps: [] }],
    ['one fix', [[0, 0, 0]], { segments: [[0, 1]], gaps: [], jumps: [] }],
    ['steady 1 Hz walk', run(0, 10, 1, 0, 1.4), { segments: [[0, 10]], gaps: [] }],
    [
      '30-minute dropout',
      [...run(0, 5, 1, 0, 5), ...run(1804, 5, 1, 1000, 5)],
      {
        segments: [
          [0, 5],
          [5, 10],
        ],
        gaps: [['time', 4, 1804, '']],
      },
    ],
    ['exactly the gap setting is not a gap', [...run(0, 2, 1, 0, 0), [301, 0, 0]], { segments: [[0, 3]] }],
    [
      'just over it is',
      [...run(0, 2, 1, 0, 0), [301.001, 0, 0]],
      {
        segments: [
          [0, 2],
          [2, 3],
        ],
      },
    ],
    [
      'an impossible jump that stays is a gap',
      [...run(0, 5, 1, 0, 10), ...run(5, 5, 1, 20_000, 10)],
      {
        segments: [
          [0, 5],
          [5, 10],
        ],
        gaps: [['speed', 4, 5, '']],
        jumps: [],
      },
    ],
    [
      'a stray fix out and back is a jump, not a gap',
      [
        [0, 0, 0],
        [1, 10, 0],
        [2, 5_000, 0],
        [3, 30, 0],
        [4, 40, 0],
      ],
      { segments: [[0, 5]], gaps: [], jumps: [2] },
    ],
    [
      'accuracy allows a wide step',
      [
        [0, 0, 0, 60],
        [1, 185, 0, 60],
      ],
      { segments: [[0, 2]], gaps: [] },
    ],
  ])('%s', (_name, rows, expected) => {
    expect(spans(rows)).toMatchObject(expected);
  });

  it('splits at a recorded hole, even a short one, and carries its reason', () => {
    const holes = [{ fromTs: T0 + 10_200, toTs: T0 + 10_800, reason: 'relay_history_lost' }];
    expect(spans(run(0, 20, 1, 0, 3), holes)).toMatchObject({
      segments: [
        [0, 11],
        [11, 20],
      ],
      gaps: [['hole', 10, 11, 'relay_history_lost']],
    });
  });

  it('names the hole reason on a time gap that contains it', () => {
    const holes = [{ fromTs: T0 + 100_000, toTs: T0 + 200_000, reason: 'store_write_failed' }];
    expect(spans([...run(0, 3, 1, 0, 0), ...run(1000, 3, 1, 0, 0)], holes).gaps).toEqual([
      ['hole', 2, 1000, 'store_write_failed'],
    ]);
  });

  it.each([
    [T0 - 1, -1],
    [T0, 0],
    [T0 + 4000, 0],
    [T0 + 100_000, -1],
    [T0 + 1_804_000, 1],
    [T0 + 9_999_000, -1],
  ])('segmentAt(%i) = %i', (t, expected) => {
    const { segments } = splitSegments(track([...run(0, 5, 1, 0, 5), ...run(1804, 5, 1, 1000, 5)]), S);
    expect(segmentAt(segments, t)).toBe(expected);
  });
});

describe('edgeGaps', () => {
  const min = 60;
  // Fixes every 10 s from minute 10 to minute 50 of an hour's period; the gap setting is 5 minutes.
  const rows = run(10 * min, 241, 10, 0, 0);
  const at = (minutes: number) => T0 + minutes * 60_000;
  it.each<[string, { from: number; to: number; now: number }, [string, number, number][]]>([
    [
      'silent 10 min at both ends of a past period',
      { from: 0, to: 60, now: 600 },
      [
        ['start', 0, 10],
        ['end', 50, 60],
      ],
    ],
    ['the end is now when the period runs into the future', { from: 0, to: 60, now: 53 }, [['start', 0, 10]]],
    ['3 min of silence up to now is not a gap', { from: 5, to: 120, now: 53 }, []],
    ['6 min of silence up to now is', { from: 5, to: 120, now: 56 }, [['end', 50, 56]]],
    ['exactly the gap setting is not a gap', { from: 5, to: 55, now: 600 }, []],
    [
      'just over it is',
      { from: 4.99, to: 55.01, now: 600 },
      [
        ['start', 4.99, 10],
        ['end', 50, 55.01],
      ],
    ],
  ])('%s', (_name, r, expected) => {
    const gaps = edgeGaps(track(rows), S.gapMs, { from: at(r.from), to: at(r.to), now: at(r.now) });
    expect(gaps.map((g) => [g.cause, (g.fromTs - T0) / 60_000, (g.toTs - T0) / 60_000])).toEqual(
      expected.map(([cause, a, b]) => [cause, expect.closeTo(a, 6), expect.closeTo(b, 6)]),
    );
  });

  it('an empty track has no edge gaps (it is reported as empty)', () => {
    expect(edgeGaps(track([]), S.gapMs, { from: at(0), to: at(60), now: at(600) })).toEqual([]);
  });

  it('counts edge gaps in the figures and the gap list, in time order, without cutting a segment', () => {
    const r = analyzeTrack(track([...run(600, 5, 1, 0, 0), ...run(2400, 5, 1, 0, 0)]), S, [], {
      from: at(0),
      to: at(60),
      now: at(600),
    });
    expect(r.gaps.map((g) => g.cause)).toEqual(['start', 'time', 'end']);
    expect(r.segments).toHaveLength(2);
    expect(r.figures.gapMs).toBe(600_000 + (2400 - 604) * 1000 + (3600 - 2404) * 1000);
  });
});
