import { describe, expect, it } from 'vitest';
import { markerAt, stopLabel, stopMarkers, STOP_MARKER_GAP, type StopMarker } from './stop-markers.js';

/** Bold 11 px digits are about 6.5 px wide: close enough for the decisions tested here. */
const width = (text: string) => text.length * 6.5;

const labels = (points: { x: number; y: number }[]) => stopMarkers(points, width).map((m) => m.label);

function overlapping(markers: readonly StopMarker[]): boolean {
  return markers.some((a, i) =>
    markers.some(
      (b, j) =>
        j > i &&
        Math.abs(a.x - b.x) * 2 < a.width + b.width + STOP_MARKER_GAP * 2 &&
        Math.abs(a.y - b.y) * 2 < a.height + b.height + STOP_MARKER_GAP * 2,
    ),
  );
}

describe('stopLabel', () => {
  it.each([
    [[1], '1'],
    [[3, 4], '3, 4'],
    [[3, 4, 5], '3–5'],
    [[1, 2, 3, 5], '1–3, 5'],
    [[1, 5], '1, 5'],
    [[1, 2, 3, 7, 9, 10, 11], '1–3, 7 +3'],
    [[2, 4, 6, 8], '2, 4 +2'],
  ])('%j → %s', (numbers, label) => {
    expect(stopLabel(numbers)).toBe(label);
  });
});

describe('stopMarkers', () => {
  it.each([
    {
      what: 'stops far apart keep their own numbers',
      points: [
        [0, 0],
        [100, 0],
        [0, 100],
      ],
      want: ['1', '2', '3'],
    },
    {
      what: 'two touching stops become one marker',
      points: [
        [0, 0],
        [10, 4],
        [200, 0],
      ],
      want: ['1, 2', '3'],
    },
    {
      what: 'three stops in a huddle read "1–3"',
      points: [
        [0, 0],
        [8, 0],
        [4, 6],
        [300, 300],
      ],
      want: ['1–3', '4'],
    },
    {
      what: 'a return to the same place joins the earlier stop, not its neighbours in time',
      points: [
        [0, 0],
        [100, 0],
        [200, 0],
        [1, 1],
      ],
      want: ['1, 4', '2', '3'],
    },
    {
      what: 'a grown label that reaches a third marker takes it in',
      // 1 and 2 merge; "1, 2" is 34 px wide, which now reaches 3 at 26 px (from 2, its circle was clear of it).
      points: [
        [0, 0],
        [5, 0],
        [26, 0],
        [200, 0],
      ],
      want: ['1–3', '4'],
    },
    {
      what: 'stops on one row 20 px apart stay apart',
      points: [
        [0, 0],
        [20, 0],
        [40, 0],
      ],
      want: ['1', '2', '3'],
    },
    { what: 'no stops, no markers', points: [], want: [] },
  ])('$what', ({ points, want }) => {
    const markers = stopMarkers(
      points.map(([x, y]) => ({ x: x!, y: y! })),
      width,
    );
    expect(markers.map((m) => m.label)).toEqual(want);
    expect(overlapping(markers)).toBe(false);
  });

  it('stands a merged marker on its first stop, and names every stop it stands for', () => {
    const [merged] = stopMarkers(
      [
        { x: 50, y: 60 },
        { x: 55, y: 62 },
      ],
      width,
    );
    expect(merged).toMatchObject({ x: 50, y: 60, stops: [0, 1], label: '1, 2' });
    expect(merged!.width).toBeGreaterThan(merged!.height);
  });

  it('never leaves two markers overlapping, however dense the stops', () => {
    // A courier's day around one block: 40 stops within 60 px.
    const points = Array.from({ length: 40 }, (_, i) => ({ x: (i * 37) % 60, y: (i * 23) % 60 }));
    const markers = stopMarkers(points, width);
    expect(overlapping(markers)).toBe(false);
    expect(markers.flatMap((m) => m.stops).sort((a, b) => a - b)).toEqual(points.map((_, i) => i));
    expect(labels(points).length).toBe(markers.length);
  });
});

describe('stopMarkers at scale', () => {
  it('places a week of 500 stops, most of them in one huddle, without overlaps (time printed)', () => {
    const points = Array.from({ length: 500 }, (_, i) =>
      i % 5 === 0 ? { x: (i * 53) % 1200, y: (i * 31) % 700 } : { x: 400 + (i % 7), y: 300 + (i % 11) },
    );
    const started = performance.now();
    const markers = stopMarkers(points, width);
    const ms = performance.now() - started;
    expect(overlapping(markers)).toBe(false);
    expect(markers.flatMap((m) => m.stops).sort((a, b) => a - b)).toEqual(points.map((_, i) => i));
    console.log(`500 stops → ${markers.length} markers in ${ms.toFixed(1)} ms`);
  });
});

describe('markerAt', () => {
  const markers = stopMarkers(
    [
      { x: 50, y: 50 },
      { x: 150, y: 50 },
    ],
    width,
  );
  it.each([
    [50, 50, '1'],
    [58, 58, '1'],
    [60, 50, undefined],
    [150, 42, '2'],
    [100, 50, undefined],
  ])('(%d, %d) → %s', (x, y, label) => {
    expect(markerAt(markers, x, y)?.label).toBe(label);
  });
});
