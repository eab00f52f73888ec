/**
 * The live view's preferences as the station keeps them (its settings), and saving them there. A window that still
 * holds preferences from a version that kept them in localStorage hands them to the station once, if the station
 * has none of its own yet, and forgets them.
 */
import { useCallback, useEffect, useMemo } from 'react';
import type { StationApi, StationSettings } from '../../../contract/station-api.js';
import {
  DEFAULT_LIVE_PREFS,
  LIVE_PREFS_STORAGE_KEY,
  livePrefsOf,
  parseLivePrefs,
  type LivePrefs,
} from './live-prefs.js';

function takeStored(): string | null {
  try {
    const raw = localStorage.getItem(LIVE_PREFS_STORAGE_KEY);
    if (raw !== null) localStorage.removeItem(LIVE_PREFS_STORAGE_KEY);
    return raw;
  } catch {
    return null;
  }
}

const same = (a: LivePrefs, b: LivePrefs): boolean =>
  a.staleAfterMs === b.staleAfterMs &&
  a.offlineAfterMs === b.offlineAfterMs &&
  a.desktopNotifications === b.desktopNotifications;

export function useLivePrefs(
  station: StationApi,
  settings: StationSettings | undefined,
  onSettings: (settings: StationSettings) => void,
): { prefs: LivePrefs; savePrefs: (prefs: LivePrefs) => Promise<void> } {
  const prefs = useMemo(() => livePrefsOf(settings), [settings]);
  const savePrefs = useCallback(
    async (next: LivePrefs) => onSettings(await station.updateSettings(next)),
    [station, onSettings],
  );
  const loaded = settings !== undefined;
  useEffect(() => {
    if (!loaded) return;
    const raw = takeStored();
    if (raw === null) return;
    const old = parseLivePrefs(raw);
    if (same(prefs, DEFAULT_LIVE_PREFS) && !same(old, DEFAULT_LIVE_PREFS)) {
      savePrefs(old).catch((error: unknown) => console.error('live preferences not carried over', error));
    }
    // Once, when the settings first arrive: later changes are the dispatcher's own.
  }, [loaded]);
  return { prefs, savePrefs };
}
