import { describe, expect, it } from 'vitest';
import {
  downSources,
  retryDelayMs,
  tileHealthReducer,
  type TileEvent,
  type TileHealth,
} from './tile-health.js';

const run = (events: TileEvent[], from: TileHealth = {}): TileHealth =>
  events.reduce(tileHealthReducer, from);
const err = (at: number, source = 'a.example'): TileEvent => ({ type: 'error', source, at });
const load = (at: number, source = 'a.example'): TileEvent => ({ type: 'load', source, at });

describe('tile health', () => {
  it.each([
    ['nothing yet', [], []],
    ['tiles loading', [load(1), load(2)], []],
    ['one or two failures are not an outage', [load(1), err(2), err(3)], []],
    [
      'three in a row are, since the first',
      [load(1), err(2), err(3), err(4)],
      [{ source: 'a.example', since: 2, retries: 0 }],
    ],
    ['a loaded tile ends it', [err(2), err(3), err(4), load(5)], []],
    ['failures before a good tile do not count', [err(1), err(2), load(3), err(4), err(5)], []],
    [
      'a new run of failures starts a new "since"',
      [err(1), err(2), err(3), load(4), err(5), err(6), err(7)],
      [{ source: 'a.example', since: 5, retries: 0 }],
    ],
    [
      'sources are separate: labels may fail while the base loads',
      [load(1), err(2, 'labels.example'), err(3, 'labels.example'), err(4, 'labels.example'), load(5)],
      [{ source: 'labels.example', since: 2, retries: 0 }],
    ],
    [
      'retries are counted while down',
      [err(1), err(2), err(3), { type: 'retry', source: 'a.example' }],
      [{ source: 'a.example', since: 1, retries: 1 }],
    ],
    ['a new basemap starts clean', [err(1), err(2), err(3), { type: 'reset' }], []],
  ] as [string, TileEvent[], unknown[]][])('%s', (_name, events, down) => {
    expect(downSources(run(events))).toEqual(down);
  });

  it('keeps the same state object for loads that change nothing (no re-render per tile)', () => {
    const state = run([load(1)]);
    expect(tileHealthReducer(state, load(2))).toBe(state);
  });

  it.each([
    [0, 5_000],
    [1, 10_000],
    [3, 40_000],
    [4, 60_000],
    [50, 60_000],
  ])('retry %i waits %i ms', (retries, ms) => {
    expect(retryDelayMs(retries)).toBe(ms);
  });
});
