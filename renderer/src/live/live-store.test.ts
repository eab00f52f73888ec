import { describe, expect, it } from 'vitest';
import type { Fix } from '../../../protocol/fix-types.js';
import { FixRing, LiveStore, trailDecision } from './live-store.js';

const fix = (uid: string, ts: number, lat = 30): Fix => ({ uid, ts, lat, lon: 120, crs: 'gcj02' });

function manualStore(trailCap = 3, trailMinIntervalMs = 1000) {
  const frames: (() => void)[] = [];
  const store = new LiveStore({ trailCap, trailMinIntervalMs, schedule: (cb) => frames.push(cb) });
  const pump = () => frames.splice(0).forEach((cb) => cb());
  return { store, frames, pump };
}

describe('trailDecision', () => {
  const at = (ts: number | undefined) => (ts === undefined ? undefined : { ts });
  it.each([
    [undefined, undefined, 1000, 'append'],
    [undefined, 1000, 1500, 'append'],
    [0, 1000, 1500, 'append'],
    [0, 500, 1500, 'replace'],
    [0, 999, 1000, 'replace'],
    [0, 1000, 999, 'ignore'],
  ] as const)('points %s, %s then %s → %s', (beforeLast, last, next, expected) => {
    expect(trailDecision(at(beforeLast), at(last), { ts: next }, 1000)).toBe(expected);
  });
});

describe('FixRing', () => {
  it.each([
    [0, []],
    [2, [1, 2]],
    [3, [1, 2, 3]],
    [5, [3, 4, 5]],
    [7, [5, 6, 7]],
  ])('after %i pushes into a ring of 3 holds %j', (pushes, expected) => {
    const ring = new FixRing(3);
    for (let i = 1; i <= pushes; i++) ring.push(fix('a', i));
    expect(ring.toArray().map((f) => f.ts)).toEqual(expected);
    expect(ring.size).toBe(expected.length);
  });
});

describe('LiveStore', () => {
  it('keeps the newest fix as latest even when an older one arrives later', () => {
    const { store } = manualStore();
    store.push([fix('a', 5000, 31), fix('a', 4000, 30)]);
    expect(store.latest('a')?.lat).toBe(31);
  });

  it('caps the trail and thins fixes closer than the minimum interval', () => {
    const { store } = manualStore(3, 1000);
    // 1 Hz for 8 s with a 2 s minimum: kept points 2 s apart, the newest following the member.
    const thinned = manualStore(100, 2000).store;
    thinned.push([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000].map((ts) => fix('a', ts)));
    expect(thinned.trail('a').map((f) => f.ts)).toEqual([0, 2000, 4000, 6000, 7000]);
    store.push([0, 1000, 2000, 3000, 4000, 5000, 6000].map((ts) => fix('a', ts)));
    expect(store.trail('a').map((f) => f.ts)).toEqual([4000, 5000, 6000]);
  });

  it('tells listeners once per frame, with every member that changed in between', () => {
    const { store, frames, pump } = manualStore();
    const calls: string[][] = [];
    store.subscribe((changed) => calls.push([...changed].sort()));
    for (let i = 0; i < 500; i++) store.push([fix(`m${i % 5}`, 1000 + i)]);
    expect(frames).toHaveLength(1);
    pump();
    expect(calls).toEqual([['m0', 'm1', 'm2', 'm3', 'm4']]);
    pump();
    expect(calls).toHaveLength(1);
    store.push([fix('m9', 9999)]);
    pump();
    expect(calls[1]).toEqual(['m9']);
  });

  it('removes a member and reports it changed', () => {
    const { store, pump } = manualStore();
    const calls: string[][] = [];
    store.subscribe((changed) => calls.push([...changed]));
    store.push([fix('a', 1), fix('b', 1)]);
    pump();
    store.remove('a');
    pump();
    expect(calls[1]).toEqual(['a']);
    expect(store.latest('a')).toBeUndefined();
    expect(store.trail('a')).toEqual([]);
    expect(store.uids()).toEqual(['b']);
  });

  it('unsubscribed listeners hear nothing more', () => {
    const { store, pump } = manualStore();
    let count = 0;
    const off = store.subscribe(() => count++);
    store.push([fix('a', 1)]);
    pump();
    off();
    store.push([fix('a', 2)]);
    pump();
    expect(count).toBe(1);
  });
});

describe('LiveStore trail reads', () => {
  it.each([
    [-1, [0, 2000, 4000, 5000]],
    [2000, [4000, 5000]],
    [5000, []],
  ])('trailSince(%i) gives %j and the oldest point is the ring start', (after, expected) => {
    const { store } = manualStore(4, 2000);
    store.push([0, 1000, 2000, 3000, 4000, 5000].map((ts) => fix('a', ts)));
    expect(store.trailSince('a', after).map((f) => f.ts)).toEqual(expected);
    expect(store.trailOldestTs('a')).toBe(0);
    expect(store.trailSince('nobody', -1)).toEqual([]);
  });
});
