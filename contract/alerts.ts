/**
 * Recent offline alerts, kept by the station core so a reloaded page and the other host see the same list: a page
 * raises them (it judges member states), the core keeps them. Pure list rules here, shared by core and renderer.
 */

export interface OfflineAlert {
  uid: string;
  /** When the alert was raised, ms since 1970. */
  at: number;
  /** The member's last fix, ms since 1970. */
  lastTs: number;
}

/** At most this many alerts are kept (one per member), and none older than ALERT_KEEP_MS. */
export const MAX_RECENT_ALERTS = 200;
/** A dispatcher's shift and the night after it: an older alert is history, not something to act on. */
export const ALERT_KEEP_MS = 24 * 60 * 60 * 1000;

/** Newest first, bounded, and one entry per member (a member that flaps keeps its newest alert only). */
export function addAlert(alerts: readonly OfflineAlert[], alert: OfflineAlert): OfflineAlert[] {
  return [alert, ...alerts.filter((a) => a.uid !== alert.uid)].slice(0, MAX_RECENT_ALERTS);
}

/** The alerts still recent at `now`. */
export function recentAlerts(alerts: readonly OfflineAlert[], now: number): OfflineAlert[] {
  return alerts.filter((a) => now - a.at < ALERT_KEEP_MS);
}
