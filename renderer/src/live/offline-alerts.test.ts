import { describe, expect, it } from 'vitest';
import { notifyDecision, raisesOfflineAlert } from './offline-alerts.js';

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
