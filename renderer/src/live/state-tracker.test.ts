import { describe, expect, it } from 'vitest';
import type { Fix } from '../../../protocol/fix-types.js';
import { LiveStore } from './live-store.js';
import type { OfflineAlert } from './offline-alerts.js';
import { MemberStateTracker } from './state-tracker.js';

const MIN = 60_000;

describe('MemberStateTracker', () => {
  it('ages members from live to stale to offline, reports changes once, and alerts on going offline', () => {
    let now = 10 * MIN;
    const frames: (() => void)[] = [];
    const store = new LiveStore({ trailCap: 5, trailMinIntervalMs: 1000, schedule: (cb) => frames.push(cb) });
    const tracker = new MemberStateTracker(
      store,
      { staleAfterMs: 2 * MIN, offlineAfterMs: 10 * MIN },
      () => now,
    );
    tracker.setJudgement('judging');
    const changes: string[][] = [];
    const alerts: OfflineAlert[] = [];
    tracker.subscribe((changed) => changes.push([...changed].sort()));
    tracker.onAlerts((raised) => alerts.push(...raised));
    tracker.setWatched(['a', 'b', 'c']);
    expect(changes).toEqual([['a', 'b', 'c']]);
    expect(tracker.counts()).toEqual({ live: 0, stale: 0, offline: 0, none: 3 });

    const fix = (uid: string, ts: number): Fix => ({ uid, ts, lat: 39.9, lon: 116.4, crs: 'gcj02' });
    store.push([fix('a', now), fix('b', now - 5 * MIN), fix('z', now)]);
    tracker.update(['a', 'b', 'z']);
    expect([tracker.state('a'), tracker.state('b'), tracker.state('z')]).toEqual(['live', 'stale', 'none']);

    now += 6 * MIN;
    tracker.update(['a', 'b', 'c']);
    expect(tracker.counts()).toEqual({ live: 0, stale: 1, offline: 1, none: 1 });
    expect(alerts.map((x) => x.uid)).toEqual(['b']);
    tracker.update(['a', 'b', 'c']);
    expect(alerts).toHaveLength(1);

    tracker.setThresholds({ staleAfterMs: 2 * MIN, offlineAfterMs: 60 * MIN });
    expect(tracker.state('b')).toBe('stale');
    tracker.setWatched(['a']);
    expect(tracker.counts()).toEqual({ live: 0, stale: 1, offline: 0, none: 0 });
  });

  it('holds states and raises no alert while the station is not connected, then judges once on return', () => {
    let now = 10 * MIN;
    const store = new LiveStore({ trailCap: 5, trailMinIntervalMs: 1000, schedule: (cb) => cb() });
    const tracker = new MemberStateTracker(
      store,
      { staleAfterMs: 2 * MIN, offlineAfterMs: 10 * MIN },
      () => now,
    );
    const alerts: OfflineAlert[] = [];
    tracker.onAlerts((raised) => alerts.push(...raised));
    tracker.setJudgement('judging');
    tracker.setWatched(['a', 'b', 'c']);
    const fix = (uid: string, ts: number): Fix => ({ uid, ts, lat: 39.9, lon: 116.4, crs: 'gcj02' });
    store.push([fix('a', now), fix('b', now), fix('c', now)]);
    tracker.update(['a', 'b', 'c']);
    expect(tracker.counts()).toEqual({ live: 3, stale: 0, offline: 0, none: 0 });

    // The relay goes away for half an hour: nobody's fixes arrive, and nobody is judged for it.
    tracker.setJudgement('held');
    expect(tracker.currentJudgement()).toEqual({ judgement: 'held', heldSince: now });
    now += 30 * MIN;
    tracker.update(['a', 'b', 'c']);
    expect(tracker.counts()).toEqual({ live: 3, stale: 0, offline: 0, none: 0 });
    expect(alerts).toEqual([]);

    // Back, and catching up: a and b's missed fixes are replayed; c sent nothing meanwhile.
    tracker.setJudgement('catching_up');
    store.push([fix('a', now - 1000), fix('b', now - 3 * MIN)]);
    tracker.update(['a', 'b', 'c']);
    expect([tracker.state('a'), tracker.state('b'), tracker.state('c')]).toEqual(['live', 'live', 'live']);
    expect(alerts).toEqual([]);

    // Catch-up over: states from real ages, and the member that truly went silent is reported once.
    tracker.setJudgement('judging');
    expect(tracker.currentJudgement()).toEqual({ judgement: 'judging' });
    expect([tracker.state('a'), tracker.state('b'), tracker.state('c')]).toEqual([
      'live',
      'stale',
      'offline',
    ]);
    expect(alerts.map((a) => a.uid)).toEqual(['c']);
    tracker.update(['a', 'b', 'c']);
    expect(alerts).toHaveLength(1);
  });
});
