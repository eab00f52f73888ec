import { describe, expect, it } from 'vitest';
import { playbackAt, snapshotAt } from './sample.js';
import { splitSegments } from './segments.js';
import { DEFAULT_TRACK_SETTINGS } from './settings.js';
import { run, T0, track } from './test-track.js';

const t = track([...run(0, 3, 10, 0, 1), ...run(1000, 3, 10, 500, 1)]);
const { segments } = splitSegments(t, DEFAULT_TRACK_SETTINGS);

describe('snapshotAt', () => {
  it.each([
    [-5, 'none', undefined],
    [0, 'fix', 0],
    [15, 'fix', 5_000],
    [20 + 300, 'fix', 300_000],
    [20 + 301, 'none', 301_000],
    [1000, 'fix', 0],
  ])('at +%i s: %s, age %j', (s, kind, ageMs) => {
    const at = snapshotAt(t, T0 + s * 1000);
    expect(at.kind).toBe(kind);
    expect(at.ageMs).toBe(ageMs);
  });
});

describe('playbackAt', () => {
  it('glides between fixes of a segment', () => {
    const a = playbackAt(t, segments, T0 + 5_000);
    const b = snapshotAt(t, T0);
    const c = snapshotAt(t, T0 + 10_000);
    if (a.kind !== 'fix' || b.kind !== 'fix' || c.kind !== 'fix') throw new Error('expected fixes');
    expect(a.lon).toBeCloseTo((b.lon + c.lon) / 2, 10);
  });

  it('does not glide across a gap', () => {
    expect(playbackAt(t, segments, T0 + 500_000).kind).toBe('none');
    const near = playbackAt(t, segments, T0 + 60_000);
    expect(near).toMatchObject({ kind: 'fix', index: 2 });
  });
});
