import { describe, expect, it } from 'vitest';
import type { RangeQuery, TrackColumns } from '../../../contract/station-api.js';
import { chunkMaxPoints, concatColumns, loadTrack, splitRange } from './load-track.js';

const H = 3_600_000;

describe('splitRange', () => {
  it.each([
    ['shorter than a chunk', 0, H - 1, [[0, H - 1]]],
    [
      'exactly two chunks',
      0,
      12 * H - 1,
      [
        [0, 6 * H - 1],
        [6 * H, 12 * H - 1],
      ],
    ],
    [
      'a remainder chunk',
      0,
      7 * H,
      [
        [0, 6 * H - 1],
        [6 * H, 7 * H],
      ],
    ],
    ['a single instant', 5, 5, [[5, 5]]],
    ['reversed', 5, 4, []],
  ])('%s', (_name, from, to, expected) => {
    expect(splitRange(from, to).map((r) => [r.from, r.to])).toEqual(expected);
  });

  it('never makes more than the maximum number of chunks, and covers the range without gaps', () => {
    const chunks = splitRange(0, 365 * 24 * H, 6 * H, 28);
    expect(chunks.length).toBeLessThanOrEqual(28);
    expect(chunks[0]?.from).toBe(0);
    expect(chunks.at(-1)?.to).toBe(365 * 24 * H);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]?.from).toBe((chunks[i - 1]?.to ?? 0) + 1);
  });
});

describe('chunkMaxPoints', () => {
  it.each([
    [{ from: 0, to: 49 }, { from: 0, to: 99 }, 1000, 500],
    [{ from: 0, to: 0 }, { from: 0, to: 99 }, 100, 2],
    [{ from: 0, to: 99 }, { from: 0, to: 99 }, 1000, 1000],
  ])('%j of %j at %i → %i', (chunk, whole, max, expected) => {
    expect(chunkMaxPoints(chunk, whole, max)).toBe(expected);
  });
});

function columns(ts: number[], downsampled = false, totalCount = ts.length): TrackColumns {
  const n = ts.length;
  return {
    uid: 'm',
    count: n,
    ts: Float64Array.from(ts),
    lat: Float64Array.from(ts.map((t) => t / 10)),
    lon: Float64Array.from(ts.map((t) => t / 5)),
    speed: Float32Array.from(ts.map((t) => t)),
    accuracy: new Float32Array(n),
    heading: new Float32Array(n),
    crs: Uint8Array.from(ts.map((t) => t % 3)),
    downsampled,
    totalCount,
  };
}

describe('concatColumns', () => {
  it('joins the parts in order and sums the counts', () => {
    const joined = concatColumns('m', [columns([1, 2]), columns([], false), columns([3], true, 40)]);
    expect(joined.count).toBe(3);
    expect([...joined.ts]).toEqual([1, 2, 3]);
    expect([...joined.lat]).toEqual([0.1, 0.2, 0.3]);
    expect([...joined.crs]).toEqual([1, 2, 0]);
    expect(joined.downsampled).toBe(true);
    expect(joined.totalCount).toBe(42);
  });
});

describe('loadTrack', () => {
  it('asks chunk by chunk, reports progress, and stops when cancelled', async () => {
    const asked: RangeQuery[] = [];
    const api = {
      queryRange: async (q: RangeQuery) => {
        asked.push(q);
        return columns([q.from]);
      },
    };
    const progress: [number, number][] = [];
    const track = await loadTrack(api, { uid: 'm', from: 0, to: 12 * H - 1, maxPoints: 100 }, (d, t) =>
      progress.push([d, t]),
    );
    expect(asked.map((q) => [q.from, q.to, q.maxPoints])).toEqual([
      [0, 6 * H - 1, 50],
      [6 * H, 12 * H - 1, 50],
    ]);
    expect(progress).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
    expect([...(track?.ts ?? [])]).toEqual([0, 6 * H]);

    const signal = { cancelled: true };
    expect(
      await loadTrack(api, { uid: 'm', from: 0, to: 1, maxPoints: 10 }, () => {}, signal),
    ).toBeUndefined();
  });
});
