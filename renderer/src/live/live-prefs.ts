/**
 * The dispatcher's live-view preferences: when a member counts as stale or offline, and whether going offline
 * raises a desktop notification. They concern only how this window shows members, so they are kept in the
 * window's localStorage rather than in the station's settings (which the core validates and stores).
 */
import { DEFAULT_THRESHOLDS, type StateThresholds } from './member-state.js';

export interface LivePrefs extends StateThresholds {
  /** Show a desktop notification when a watched member goes offline (Electron shell, or a browser that allows it). */
  desktopNotifications: boolean;
}

export const DEFAULT_LIVE_PREFS: LivePrefs = { ...DEFAULT_THRESHOLDS, desktopNotifications: true };
export const LIVE_PREFS_STORAGE_KEY = 'lodestar.livePrefs';

const MIN_MS = 12_000;
const MAX_MS = 7 * 86_400_000;

function validMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= MIN_MS && value <= MAX_MS;
}

/** Whatever was stored (possibly by an older version, or edited by hand): valid fields kept, the rest defaulted. */
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
