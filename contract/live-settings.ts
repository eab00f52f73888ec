/**
 * The live view's settings: when a member counts as stale or offline, and whether going offline raises a desktop
 * notification. They are station settings (stored by the core with the others), so the Electron shell and every
 * browser on the host show members alike; this is the one list of their defaults and bounds.
 */
export interface LiveSettings {
  /** A last fix older than this makes the member stale, ms. */
  staleAfterMs: number;
  /** A last fix older than this makes the member offline, ms. */
  offlineAfterMs: number;
  /** Show a desktop notification when a watched member goes offline. */
  desktopNotifications: boolean;
}

export const DEFAULT_LIVE_SETTINGS: Readonly<LiveSettings> = {
  staleAfterMs: 2 * 60_000,
  offlineAfterMs: 10 * 60_000,
  desktopNotifications: true,
};

/** Bounds of both thresholds, ms: from a few missed 1 Hz fixes to a week. */
export const LIVE_THRESHOLD_LIMITS: readonly [number, number] = [12_000, 7 * 86_400_000];

export function isLiveThreshold(value: unknown): value is number {
  const [min, max] = LIVE_THRESHOLD_LIMITS;
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
