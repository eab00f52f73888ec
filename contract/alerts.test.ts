import { describe, expect, it } from 'vitest';
import { addAlert, ALERT_KEEP_MS, MAX_RECENT_ALERTS, recentAlerts } from './alerts.js';

describe('addAlert', () => {
  it('puts the newest first, keeps one per member and stays bounded', () => {
    let alerts = addAlert([], { uid: 'a', at: 1, lastTs: 0 });
    alerts = addAlert(alerts, { uid: 'b', at: 2, lastTs: 0 });
    alerts = addAlert(alerts, { uid: 'a', at: 3, lastTs: 0 });
    expect(alerts.map((a) => [a.uid, a.at])).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
    for (let i = 0; i < 300; i++) alerts = addAlert(alerts, { uid: `m${i}`, at: i, lastTs: 0 });
    expect(alerts).toHaveLength(MAX_RECENT_ALERTS);
    expect(alerts[0]?.uid).toBe('m299');
  });
});

describe('recentAlerts', () => {
  const NOW = 1_700_000_000_000;
  it.each([
    ['raised just now', NOW, true],
    ['23 h 59 min ago', NOW - ALERT_KEEP_MS + 60_000, true],
    ['exactly 24 h ago', NOW - ALERT_KEEP_MS, false],
    ['two days ago', NOW - 2 * ALERT_KEEP_MS, false],
  ] as const)('%s → kept: %s', (_name, at, kept) => {
    expect(recentAlerts([{ uid: 'a', at, lastTs: 0 }], NOW)).toHaveLength(kept ? 1 : 0);
  });
});
