import { describe, expect, it } from 'vitest';
import { addAlert, MAX_RECENT_ALERTS, notifyDecision, raisesOfflineAlert } from './offline-alerts.js';

describe('raisesOfflineAlert', () => {
  it.each([
    [undefined, 'offline', false],
    ['none', 'offline', false],
    ['live', 'offline', true],
    ['stale', 'offline', true],
    ['offline', 'offline', false],
    ['live', 'stale', false],
    ['offline', 'live', false],
  ] as const)('%s → %s: %s', (previous, next, expected) => {
    expect(raisesOfflineAlert(previous, next)).toBe(expected);
  });
});

describe('addAlert', () => {
  it('puts the newest first, keeps one per member and stays bounded', () => {
    let alerts = addAlert([], { uid: 'a', at: 1, lastTs: 0 });
    alerts = addAlert(alerts, { uid: 'b', at: 2, lastTs: 0 });
    alerts = addAlert(alerts, { uid: 'a', at: 3, lastTs: 0 });
    expect(alerts.map((a) => [a.uid, a.at])).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
    for (let i = 0; i < 100; i++) alerts = addAlert(alerts, { uid: `m${i}`, at: i, lastTs: 0 });
    expect(alerts).toHaveLength(MAX_RECENT_ALERTS);
    expect(alerts[0]?.uid).toBe('m99');
  });
});

describe('notifyDecision', () => {
  it.each([
    [true, 'granted', 1, 'notify'],
    [true, 'granted', 0, 'skip'],
    [false, 'granted', 3, 'skip'],
    [true, 'default', 1, 'ask_permission'],
    [true, 'denied', 1, 'skip'],
    [true, 'unsupported', 1, 'skip'],
  ] as const)('enabled %s, permission %s, %i alerts → %s', (enabled, permission, alertsInBatch, expected) => {
    expect(notifyDecision({ enabled, permission, alertsInBatch })).toBe(expected);
  });
});
