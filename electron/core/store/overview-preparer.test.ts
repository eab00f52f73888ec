import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OverviewQuery } from '../../../contract/station-api.js';
import { MAX_PREPARED_MEMBERS, OverviewPreparer } from './overview-preparer.js';

/** A preparer whose steps run when the test says, recording what it computed. */
function harness(members: string[], fail = new Set<string>()) {
  const steps: (() => void)[] = [];
  const computed: OverviewQuery[] = [];
  const errors: string[] = [];
  const preparer = new OverviewPreparer({
    members: () => members,
    overview: (query) => {
      if (fail.has(query.uid)) throw new Error('read failed');
      computed.push(query);
    },
    onError: (_error, uid) => errors.push(uid),
    quietMs: 1000,
    schedule: (step) => {
      steps.push(step);
      return { cancel: () => steps.splice(steps.indexOf(step), 1) };
    },
  });
  const runAll = () => {
    while (steps.length > 0) steps.shift()!();
  };
  return { preparer, steps, computed, errors, runAll };
}

describe('OverviewPreparer', () => {
  it('prepares each member once, one per step, in the list order', () => {
    const h = harness(['42', '43', '42', '44']);
    expect(h.preparer.prepare({ from: 0, to: 9 })).toBe(3);
    expect(h.steps).toHaveLength(1);
    h.steps.shift()!();
    expect(h.computed.map((q) => q.uid)).toEqual(['42']);
    expect(h.preparer.status).toEqual({ waiting: 2, prepared: 1, failed: 0 });
    h.runAll();
    expect(h.computed).toEqual([
      { uid: '42', from: 0, to: 9 },
      { uid: '43', from: 0, to: 9 },
      { uid: '44', from: 0, to: 9 },
    ]);
    expect(h.preparer.status).toEqual({ waiting: 0, prepared: 3, failed: 0 });
  });

  it('lets a new ask replace the one under way', () => {
    const h = harness(['42', '43', '44']);
    h.preparer.prepare({ from: 0, to: 9 });
    h.steps.shift()!();
    h.preparer.prepare({ from: 10, to: 19, settings: { gapMs: 120_000 } });
    expect(h.steps).toHaveLength(1);
    h.runAll();
    expect(h.computed.map((q) => `${q.uid}@${q.from}`)).toEqual(['42@0', '42@10', '43@10', '44@10']);
  });

  it('prepares members added to the watch list for the period last asked, and none before an ask', () => {
    const h = harness(['42']);
    h.preparer.add(['43']);
    expect(h.steps).toHaveLength(0);
    h.preparer.prepare({ from: 0, to: 9 });
    h.runAll();
    h.preparer.add(['43', '44']);
    h.runAll();
    expect(h.computed.map((q) => q.uid)).toEqual(['42', '43', '44']);
  });

  it('counts a member it could not prepare and goes on', () => {
    const h = harness(['42', '43'], new Set(['42']));
    h.preparer.prepare({ from: 0, to: 9 });
    h.runAll();
    expect(h.errors).toEqual(['42']);
    expect(h.computed.map((q) => q.uid)).toEqual(['43']);
    expect(h.preparer.status).toEqual({ waiting: 0, prepared: 1, failed: 1 });
  });

  it('stops for good', () => {
    const h = harness(['42', '43']);
    h.preparer.prepare({ from: 0, to: 9 });
    h.preparer.stop();
    expect(h.steps).toHaveLength(0);
    expect(h.preparer.prepare({ from: 0, to: 9 })).toBe(0);
    expect(h.computed).toEqual([]);
  });

  it('prepares at most MAX_PREPARED_MEMBERS of a larger team', () => {
    const team = Array.from({ length: MAX_PREPARED_MEMBERS + 10 }, (_, k) => String(k));
    const h = harness(team);
    expect(h.preparer.prepare({ from: 0, to: 9 })).toBe(MAX_PREPARED_MEMBERS);
    h.runAll();
    expect(h.computed.at(-1)?.uid).toBe(String(MAX_PREPARED_MEMBERS - 1));
  });

  it('caps members watched later at what the ask has room for', () => {
    const team = Array.from({ length: MAX_PREPARED_MEMBERS - 1 }, (_, k) => String(k));
    const h = harness(team);
    h.preparer.prepare({ from: 0, to: 9 });
    h.runAll();
    h.preparer.add(['new-1', 'new-2']);
    h.runAll();
    expect(h.computed.map((q) => q.uid).slice(-2)).toEqual([String(MAX_PREPARED_MEMBERS - 2), 'new-1']);
  });

  it('forgets a member no longer watched', () => {
    const h = harness(['42', '43', '44']);
    h.preparer.prepare({ from: 0, to: 9 });
    h.preparer.remove('43');
    h.runAll();
    expect(h.computed.map((q) => q.uid)).toEqual(['42', '44']);
  });
});

describe('OverviewPreparer after writes into the prepared period', () => {
  afterEach(() => void vi.useRealTimers());
  const fix = (uid: string, ts: number) => ({ uid, ts, lat: 31.2, lon: 121.4, crs: 'wgs84' as const });
  const prepared = (from = 0) => {
    vi.useFakeTimers();
    const h = harness(['42', '43']);
    h.preparer.prepare({ from, to: from + 9 });
    h.runAll();
    h.computed.length = 0;
    return h;
  };

  it('prepares a member again once writes into its period pause, while other writes go on', () => {
    const h = prepared();
    h.preparer.stale([{ uid: '42', from: 0, to: 9 }], [fix('42', 5)]);
    // Today's live fixes every 100 ms: they do not write into the period, so they do not hold it back.
    for (let t = 0; t < 1100; t += 100) {
      h.preparer.stale([], [fix('42', 500 + t), fix('43', 500 + t)]);
      vi.advanceTimersByTime(100);
    }
    h.runAll();
    expect(h.computed.map((q) => q.uid)).toEqual(['42']);
  });

  it('waits while the writes into the period go on', () => {
    const h = prepared();
    h.preparer.stale([{ uid: '42', from: 0, to: 9 }], [fix('42', 5)]);
    for (let k = 0; k < 5; k++) {
      vi.advanceTimersByTime(500);
      // The catch-up goes on: the overview is gone already, the fixes still land in the period.
      h.preparer.stale([], [fix('42', 6)]);
    }
    h.runAll();
    expect(h.computed).toEqual([]);
    vi.advanceTimersByTime(1000);
    h.runAll();
    expect(h.computed.map((q) => q.uid)).toEqual(['42']);
  });

  it('leaves periods other than the one asked for, and members not asked', () => {
    const h = prepared();
    h.preparer.stale(
      [
        { uid: '42', from: 100, to: 109 },
        { uid: '99', from: 0, to: 9 },
      ],
      [fix('42', 105), fix('99', 5)],
    );
    vi.advanceTimersByTime(2000);
    h.runAll();
    expect(h.computed).toEqual([]);
  });
});
