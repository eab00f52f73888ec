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
});
