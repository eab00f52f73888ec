/**
 * Feeds the live store from the station: the latest stored fix of each watched member first (so markers show
 * before anyone moves), then every live batch. React never re-renders per fix; only the store changes.
 */
import { useEffect, useState } from 'react';
import type { StationApi } from '../../../contract/station-api.js';
import { animationFrameScheduler } from './frame-throttle.js';
import { DEFAULT_LIVE_STORE_OPTIONS, LiveStore } from './live-store.js';

export function useLiveStore(): LiveStore {
  const [store] = useState(
    () => new LiveStore({ ...DEFAULT_LIVE_STORE_OPTIONS, schedule: animationFrameScheduler }),
  );
  return store;
}

export function useLiveFeed(station: StationApi, store: LiveStore, watchedUids: readonly string[]): void {
  const key = [...watchedUids].sort().join('\n');

  useEffect(() => station.onFixes((fixes) => store.push(fixes)), [station, store]);

  useEffect(() => {
    const uids = key === '' ? [] : key.split('\n');
    const watched = new Set(uids);
    for (const uid of store.uids()) if (!watched.has(uid)) store.remove(uid);
    if (uids.length === 0) return;
    let cancelled = false;
    station.latest(uids).then(
      (fixes) => {
        if (!cancelled) store.push(fixes);
      },
      (error: unknown) => console.warn('latest positions unavailable', error),
    );
    return () => {
      cancelled = true;
    };
  }, [station, store, key]);
}
