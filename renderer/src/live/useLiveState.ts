/**
 * The live tab's long-lived objects, made once per window: the state tracker (live/stale/offline) following the
 * dispatcher's preferences (station settings, useLivePrefs.ts), the map's LiveView, and the recent offline alerts
 * (with desktop notifications).
 */
import { useCallback, useEffect, useState } from 'react';
import type { StationApi, StationStatus, WatchedMember } from '../../../contract/station-api.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { LiveView } from '../map/live-view.js';
import { notifyOffline } from './desktop-notify.js';
import type { LiveStore } from './live-store.js';
import type { LivePrefs } from './live-prefs.js';
import { judgementOf } from './member-state.js';
import { addAlert } from '../../../contract/alerts.js';
import type { OfflineAlert } from './offline-alerts.js';
import { MemberStateTracker } from './state-tracker.js';

export function useLiveState(
  station: StationApi,
  store: LiveStore,
  members: readonly WatchedMember[],
  prefs: LivePrefs,
) {
  const { t } = useI18n();
  const [tracker] = useState(() => new MemberStateTracker(store, prefs));
  const [view] = useState(() => new LiveView(store, tracker));
  const [alerts, setAlerts] = useState<OfflineAlert[]>([]);

  useEffect(() => {
    tracker.start();
    return () => tracker.stop();
  }, [tracker]);
  useEffect(() => {
    view.start();
    return () => view.stop();
  }, [view]);
  useEffect(() => {
    // A read-only probe for the e2e tests, the benchmark and the screenshot script: markers are pixels on a
    // canvas, so "is member X drawn, where, in which state" has no DOM to ask.
    const probe = Object.freeze({
      drawnAt: (uid: string) => view.drawnAt(uid),
      drawnCount: () => view.markers.drawnCount(),
      zoom: () => view.zoom(),
      centre: () => view.centreOfMap(),
      markerAt: (uid: string) => {
        const at = view.markers.latLngOf(uid);
        return at ? { lat: at.lat, lng: at.lng } : undefined;
      },
      counters: () => ({ markers: { ...view.markers.counters }, trails: { ...view.trails.counters } }),
    });
    (window as unknown as { lodestarLiveProbe?: unknown }).lodestarLiveProbe = probe;
  }, [view]);
  useEffect(() => {
    // The connection is an input of every member's state: silence the station caused is not the members'.
    let status: StationStatus | undefined;
    let cancelled = false;
    const judge = (): void => tracker.setJudgement(judgementOf(status));
    station.getStatus().then(
      (s) => {
        if (cancelled) return;
        status ??= s;
        judge();
      },
      () => undefined,
    );
    const off = station.onStatus((s) => {
      status = s;
      judge();
    });
    return () => {
      cancelled = true;
      off();
    };
  }, [station, tracker]);
  useEffect(() => {
    // The station keeps the list, so a reloaded page starts from it; its pushes carry every page's alerts.
    let pushed = false;
    let cancelled = false;
    const off = station.onAlerts((list) => {
      pushed = true;
      setAlerts(list);
    });
    station.listAlerts().then(
      (list) => {
        if (!cancelled && !pushed) setAlerts(list);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
      off();
    };
  }, [station]);
  useEffect(() => tracker.setWatched(members.map((m) => m.uid)), [tracker, members]);
  useEffect(() => tracker.setThresholds(prefs), [tracker, prefs]);

  useEffect(
    () =>
      tracker.onAlerts((raised) => {
        // Shown at once; the station's push that follows carries the same list (and other pages' alerts).
        setAlerts((current) => raised.reduce(addAlert, current));
        station.raiseAlerts(raised).catch(() => undefined);
        const labels = new Map(members.map((m) => [m.uid, m.label || m.uid]));
        const names = raised.map((a) => labels.get(a.uid) ?? a.uid);
        notifyOffline(
          prefs.desktopNotifications,
          t('alerts.notifyTitle', { count: raised.length }),
          names.slice(0, 5).join(', ') + (names.length > 5 ? '…' : ''),
          raised.length,
        );
      }),
    [station, tracker, members, prefs.desktopNotifications, t],
  );

  const clearAlerts = useCallback(() => {
    setAlerts([]);
    station.clearAlerts().catch(() => undefined);
  }, [station]);
  return { tracker, view, alerts, clearAlerts };
}
