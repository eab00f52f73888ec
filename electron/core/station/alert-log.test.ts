import { describe, expect, it } from 'vitest';
import { ALERT_KEEP_MS, MAX_RECENT_ALERTS } from '../../../contract/alerts.js';
import { AlertLog } from './alert-log.js';

function log(start: number): { alerts: AlertLog; clock: { now: number }; pushed: string[][] } {
  const clock = { now: start };
  const alerts = new AlertLog(
    () => clock.now,
    (error) => {
      throw error;
    },
  );
  const pushed: string[][] = [];
  alerts.subscribe((list) => pushed.push(list.map((a) => a.uid)));
  return { alerts, clock, pushed };
}

describe('AlertLog (the station keeps the recent alerts for every page)', () => {
  it('keeps what pages raised, newest first, one per member, and pushes each change', () => {
    const { alerts, pushed } = log(1_000_000);
    alerts.raise([{ uid: 'a', at: 999_000, lastTs: 1 }]);
    // Another page raising the same member at about the same time: kept once, the newest.
    alerts.raise([
      { uid: 'b', at: 999_500, lastTs: 2 },
      { uid: 'a', at: 999_100, lastTs: 1 },
    ]);
    expect(alerts.list()).toEqual([
      { uid: 'b', at: 999_500, lastTs: 2 },
      { uid: 'a', at: 999_100, lastTs: 1 },
    ]);
    expect(pushed).toEqual([['a'], ['b', 'a']]);
    alerts.clear();
    expect(alerts.list()).toEqual([]);
    expect(pushed.at(-1)).toEqual([]);
  });

  it('stays bounded: at most MAX_RECENT_ALERTS, none older than a day', () => {
    const { alerts, clock } = log(10 * ALERT_KEEP_MS);
    const many = Array.from({ length: MAX_RECENT_ALERTS + 50 }, (_, i) => ({
      uid: `m${i}`,
      at: clock.now - 1000 + i,
      lastTs: 0,
    }));
    alerts.raise(many);
    expect(alerts.list()).toHaveLength(MAX_RECENT_ALERTS);
    expect(alerts.list()[0]?.uid).toBe(`m${MAX_RECENT_ALERTS + 49}`);
    clock.now += ALERT_KEEP_MS;
    expect(alerts.list()).toEqual([]);
  });
});
