import { describe, expect, it } from 'vitest';
import {
  ARRIVAL_LATE,
  ARRIVAL_REPLAYED,
  ARRIVAL_UNKNOWN,
  arrivalFlags,
  LATE_AFTER_MS,
  summarizeArrival,
} from './arrival.js';

const R = ARRIVAL_REPLAYED;
const L = ARRIVAL_LATE;
const U = ARRIVAL_UNKNOWN;

describe('arrivalFlags', () => {
  it.each([
    ['live, on time', 1_000, 1_500, false, 0],
    ['live, exactly the threshold late', 0, LATE_AFTER_MS, false, 0],
    ['live, a millisecond past the threshold', 0, LATE_AFTER_MS + 1, false, L],
    ['replayed soon after', 0, 5_000, true, R],
    ['replayed an hour later', 0, 3_600_000, true, R | L],
    ['arrival unknown (stored by an older station)', 0, undefined, false, U],
    ['device clock ahead: arrived before its time', 10_000, 1_000, false, 0],
  ])('%s', (_name, ts, receivedAt, replayed, expected) => {
    expect(arrivalFlags(ts, receivedAt, replayed)).toBe(expected);
  });
});

/** Fixes as [seconds, flags]. */
function track(rows: readonly (readonly [number, number])[]) {
  return {
    ts: Float64Array.from(rows.map(([s]) => s * 1000)),
    arrival: Uint8Array.from(rows.map(([, f]) => f)),
    count: rows.length,
  };
}

const JOIN_MS = 300_000;

describe('summarizeArrival', () => {
  it.each([
    {
      name: 'all live and on time: nothing to show',
      rows: [
        [0, 0],
        [1, 0],
        [2, 0],
      ],
      filled: [],
      late: [],
      counts: [0, 0, 0],
    },
    {
      name: 'a backfilled stretch between live fixes is one span',
      rows: [
        [0, 0],
        [1, R | L],
        [2, R | L],
        [3, R | L],
        [4, 0],
      ],
      filled: [[1, 3, 3]],
      late: [[1, 3, 3]],
      counts: [3, 3, 0],
    },
    {
      name: 'a live fix between two replayed runs splits them',
      rows: [
        [0, R],
        [1, R],
        [2, 0],
        [3, R],
      ],
      filled: [
        [0, 1, 2],
        [3, 3, 1],
      ],
      late: [],
      counts: [3, 0, 0],
    },
    {
      name: 'a pause within the gap setting inside a replayed run does not split it',
      rows: [
        [0, R],
        [200, R],
      ],
      filled: [[0, 200, 2]],
      late: [],
      counts: [2, 0, 0],
    },
    {
      name: 'a pause longer than the gap setting does',
      rows: [
        [0, R],
        [301, R],
      ],
      filled: [
        [0, 0, 1],
        [301, 301, 1],
      ],
      late: [],
      counts: [2, 0, 0],
    },
    {
      name: 'late live fixes (a phone that buffered) are late, not filled',
      rows: [
        [0, L],
        [1, L],
        [2, 0],
      ],
      filled: [],
      late: [[0, 1, 2]],
      counts: [0, 2, 0],
    },
    {
      name: 'fixes stored before arrivals were kept are counted as unknown, nothing else',
      rows: [
        [0, U],
        [1, U],
        [2, 0],
      ],
      filled: [],
      late: [],
      unknown: [[0, 1, 2]],
      counts: [0, 0, 2],
    },
    { name: 'no fixes', rows: [], filled: [], late: [], counts: [0, 0, 0] },
  ])('$name', ({ rows, filled, late, counts, ...rest }) => {
    const s = summarizeArrival(track(rows as [number, number][]), JOIN_MS);
    const spans = (xs: typeof s.filled) => xs.map((x) => [x.fromTs / 1000, x.toTs / 1000, x.count]);
    expect(spans(s.filled)).toEqual(filled);
    expect(spans(s.late)).toEqual(late);
    expect(spans(s.unknown)).toEqual('unknown' in rest ? rest.unknown : []);
    expect([s.filledCount, s.lateCount, s.unknownCount]).toEqual(counts);
  });
});
