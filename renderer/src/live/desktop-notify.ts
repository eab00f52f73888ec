/**
 * The thin shell around the Notification API: the decision is notifyDecision (pure, tested); this only asks for
 * permission and calls `new Notification`. In the Electron shell the renderer's Notification is the system's
 * desktop notification; in a browser it works where the user allows it.
 */
import { notifyDecision, type NotificationPermissionState } from './offline-alerts.js';

function permission(): NotificationPermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export function notifyOffline(enabled: boolean, title: string, body: string, count: number): void {
  const decision = notifyDecision({ enabled, permission: permission(), alertsInBatch: count });
  if (decision === 'skip') return;
  const show = (): void => {
    try {
      new Notification(title, { body, tag: 'lodestar-offline' });
    } catch {
      // Some hosts expose Notification but refuse to construct it outside a service worker: the in-app list remains.
    }
  };
  if (decision === 'notify') show();
  else
    void Notification.requestPermission().then((answer) => {
      if (answer === 'granted') show();
    });
}
