import { describe, expect, it } from 'vitest';
import { HiddenViewGate } from './hidden-view-gate.js';

function gate() {
  let resets = 0;
  const g: HiddenViewGate = new HiddenViewGate(() => {
    resets++;
    g.caughtUp();
  });
  return { g, resets: () => resets };
}

describe('HiddenViewGate', () => {
  it('follows every view change while shown', () => {
    const { g, resets } = gate();
    g.onView();
    g.onView();
    expect(resets()).toBe(2);
  });
  it('hidden, only remembers a change, and catches up once when shown', () => {
    const { g, resets } = gate();
    g.setShown(false);
    g.onView();
    g.onView();
    expect(resets()).toBe(0);
    g.setShown(true);
    expect(resets()).toBe(1);
  });
  it('shown again with no change while hidden, does nothing', () => {
    const { g, resets } = gate();
    g.setShown(false);
    g.setShown(true);
    expect(resets()).toBe(0);
  });
  it('a reset from elsewhere while hidden counts as caught up', () => {
    const { g, resets } = gate();
    g.setShown(false);
    g.onView();
    g.caughtUp();
    g.setShown(true);
    expect(resets()).toBe(0);
  });
});
