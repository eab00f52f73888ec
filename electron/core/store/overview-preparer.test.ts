import { describe, expect, it } from 'vitest';
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
});
