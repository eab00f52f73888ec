/**
 * Offline alerts as pure decisions: which state changes raise an alert, and whether an alert becomes a desktop
 * notification. The station core keeps the list (contract/alerts.ts); the shell calls `new Notification`.
 */
import type { MemberState } from './member-state.js';

export type { OfflineAlert } from '../../../contract/alerts.js';

/** Only a member that was seen live or stale and is now offline is news; one first seen already offline is not. */
export function raisesOfflineAlert(previous: MemberState | undefined, next: MemberState): boolean {
  return next === 'offline' && (previous === 'live' || previous === 'stale');
}

export type NotificationPermissionState = 'granted' | 'denied' | 'default' | 'unsupported';

export type NotifyDecision = 'notify' | 'ask_permission' | 'skip';

/** Whether an offline alert becomes a desktop notification. */
export function notifyDecision(input: {
  enabled: boolean;
  permission: NotificationPermissionState;
  /** Alerts raised together (many members dropping at once) make one notification, not one each. */
  alertsInBatch: number;
}): NotifyDecision {
  if (!input.enabled || input.alertsInBatch === 0) return 'skip';
  if (input.permission === 'granted') return 'notify';
  if (input.permission === 'default') return 'ask_permission';
  return 'skip';
}
