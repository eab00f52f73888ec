/**
 * The dispatcher's live-view preferences: when a member counts as stale or offline, and whether going offline
 * raises a desktop notification. They are station settings (contract/live-settings.ts), so the Electron shell and
 * every browser on the host agree; earlier versions kept them in a window's localStorage, which is read once to
 * carry them over.
 */
import {
  DEFAULT_LIVE_SETTINGS,
  LIVE_THRESHOLD_LIMITS,
  type LiveSettings,
} from '../../../contract/live-settings.js';

export type LivePrefs = LiveSettings;

export const DEFAULT_LIVE_PREFS: LivePrefs = { ...DEFAULT_LIVE_SETTINGS };
/** Where earlier versions kept the preferences, per window. */
export const LIVE_PREFS_STORAGE_KEY = 'lodestar.livePrefs';

function validMs(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= LIVE_THRESHOLD_LIMITS[0] &&
    value <= LIVE_THRESHOLD_LIMITS[1]
  );
}

/** The live prefs among the station's settings (absent while they load: the defaults). */
export function livePrefsOf(settings: Partial<LiveSettings> | undefined): LivePrefs {
  return {
    staleAfterMs: settings?.staleAfterMs ?? DEFAULT_LIVE_PREFS.staleAfterMs,
    offlineAfterMs: settings?.offlineAfterMs ?? DEFAULT_LIVE_PREFS.offlineAfterMs,
    desktopNotifications: settings?.desktopNotifications ?? DEFAULT_LIVE_PREFS.desktopNotifications,
  };
}

/**
 * What an earlier version left in localStorage (possibly edited by hand): valid fields kept, the rest defaulted.
 */
export function parseLivePrefs(raw: string | null | undefined): LivePrefs {
  let value: Record<string, unknown> = {};
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      value = parsed as Record<string, unknown>;
  } catch {
    value = {};
  }
  const stale = validMs(value.staleAfterMs) ? value.staleAfterMs : DEFAULT_LIVE_PREFS.staleAfterMs;
  const offline = validMs(value.offlineAfterMs) ? value.offlineAfterMs : DEFAULT_LIVE_PREFS.offlineAfterMs;
  return {
    staleAfterMs: Math.min(stale, offline),
    offlineAfterMs: offline,
    desktopNotifications:
      typeof value.desktopNotifications === 'boolean'
        ? value.desktopNotifications
        : DEFAULT_LIVE_PREFS.desktopNotifications,
  };
}

export type LivePrefsFormError = 'prefs.badMinutes' | 'prefs.staleAfterOffline';

/** The settings form's fields (minutes, as typed) to prefs, or the message key of what is wrong. */
export function livePrefsFromForm(form: {
  staleMinutes: string;
  offlineMinutes: string;
  desktopNotifications: boolean;
}): { ok: true; prefs: LivePrefs } | { ok: false; error: LivePrefsFormError } {
  const minutes = (text: string): number | undefined => {
    if (!/^\s*\d+(\.\d+)?\s*$/.test(text)) return undefined;
    const ms = Math.round(Number(text) * 60_000);
    return validMs(ms) ? ms : undefined;
  };
  const staleAfterMs = minutes(form.staleMinutes);
  const offlineAfterMs = minutes(form.offlineMinutes);
  if (staleAfterMs === undefined || offlineAfterMs === undefined)
    return { ok: false, error: 'prefs.badMinutes' };
  if (staleAfterMs > offlineAfterMs) return { ok: false, error: 'prefs.staleAfterOffline' };
  return {
    ok: true,
    prefs: { staleAfterMs, offlineAfterMs, desktopNotifications: form.desktopNotifications },
  };
}
