/**
 * The station window: map on the left, a side panel (live watch list, history review or settings) on the right,
 * the status bar below. Holds the little state the panels share; live fixes live in the LiveStore, not here.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type {
  StationApi,
  StationSettings,
  TrackColumns,
  WatchedMember,
} from '../../../contract/station-api.js';
import { HistoryPanel, type LoadedHistory } from '../history/HistoryPanel.js';
import { HistoryTimeline } from '../history/HistoryTimeline.js';
import { PlaybackController } from '../history/playback-controller.js';
import { I18nProvider, useI18n } from '../i18n/I18nProvider.js';
import { systemLocale } from '../i18n/translate.js';
import { useLiveFeed, useLiveStore } from '../live/useLiveFeed.js';
import { HistoryCanvasLayer } from '../map/HistoryCanvasLayer.js';
import { LiveHeader } from '../live/LiveHeader.js';
import { LivePrefsForm } from '../live/LivePrefsForm.js';
import { useLivePrefs } from '../live/useLivePrefs.js';
import { useLiveState } from '../live/useLiveState.js';
import { LiveLayers } from '../map/LiveLayers.js';
import { BasemapPicker } from '../map/BasemapPicker.js';
import { MapView } from '../map/MapView.js';
import { worldTrackOf } from '../map/track-pixels.js';
import { BasemapSettings } from '../settings/BasemapSettings.js';
import { SettingsPanel } from '../settings/SettingsPanel.js';
import { StatusBar } from '../status/StatusBar.js';
import { WatchList } from '../watch/WatchList.js';
import { errorText } from '../i18n/error-text.js';
import { warmHistoryWhenIdle } from '../history/warm-history.js';
import { prepareYesterdayAhead } from '../history/prepare-ahead.js';

export const TABS = ['live', 'history', 'settings'] as const;
export type Tab = (typeof TABS)[number];

export function App({ station }: { station: StationApi }) {
  const [settings, setSettings] = useState<StationSettings | undefined>();
  const locale = settings?.locale ?? systemLocale(navigator.languages ?? [navigator.language]);

  useEffect(() => {
    station.getSettings().then(setSettings, (error: unknown) => console.error('settings unavailable', error));
  }, [station]);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  return (
    <I18nProvider locale={locale}>
      <Station station={station} settings={settings} onSettings={setSettings} />
    </I18nProvider>
  );
}

function Station({
  station,
  settings,
  onSettings,
}: {
  station: StationApi;
  settings: StationSettings | undefined;
  onSettings: (settings: StationSettings) => void;
}) {
  const { t, locale } = useI18n();
  const [tab, setTab] = useState<Tab>('live');
  const [members, setMembers] = useState<WatchedMember[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [historyUid, setHistoryUid] = useState<string | undefined>();
  const [history, setHistory] = useState<LoadedHistory | undefined>();
  const [controller] = useState(() => new PlaybackController());
  const live = useLiveStore();

  const refreshMembers = useCallback(() => {
    station.listWatched().then(
      (list) => {
        setMembers(list);
        setError(undefined);
      },
      (e: unknown) => setError(errorText(t, e)),
    );
  }, [station, t]);

  useEffect(refreshMembers, [refreshMembers]);
  useEffect(() => () => controller.dispose(), [controller]);
  const uids = useMemo(() => members.map((m) => m.uid), [members]);
  useLiveFeed(station, live, uids);
  const { prefs, savePrefs } = useLivePrefs(station, settings, onSettings);
  const { tracker, view, alerts, clearAlerts } = useLiveState(station, live, members, prefs);
  const onWatchError = useCallback((e: unknown) => setError(errorText(t, e)), [t]);
  const showHistory = useCallback((uid: string) => {
    setHistoryUid(uid);
    setTab('history');
  }, []);

  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  const basemapCrs = settings?.basemapCrs ?? 'gcj02';
  // The history review's first-use costs (compiling, formatters, font), paid while the dispatcher is on the live tab.
  const settingsKnown = settings !== undefined;
  useEffect(
    () => (settingsKnown ? warmHistoryWhenIdle(locale, basemapCrs) : undefined),
    [settingsKnown, locale, basemapCrs],
  );
  // Yesterday's overviews analysed on the station before anyone asks (prepare-ahead.ts).
  useEffect(() => prepareYesterdayAhead(station), [station]);
  const prepareTrack = useCallback(
    (track: TrackColumns) => void worldTrackOf(track, basemapCrs),
    [basemapCrs],
  );

  return (
    <div className="station" data-tab={tab}>
      <header className="top">
        <h1>{t('app.title')}</h1>
        <nav role="tablist">
          {TABS.map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              aria-selected={tab === name}
              className={tab === name ? 'tab active' : 'tab'}
              onClick={() => setTab(name)}
            >
              {t(`tab.${name}`)}
            </button>
          ))}
        </nav>
        <LiveHeader
          tracker={tracker}
          alerts={alerts}
          members={members}
          onClear={clearAlerts}
          onPick={(uid) => {
            setTab('live');
            view.select(uid, true);
          }}
        />
      </header>
      <main className="body">
        <MapView
          basemap={settings?.activeBasemap}
          overlay={
            settings?.basemap === '' ? <BasemapPicker station={station} onSaved={onSettings} /> : undefined
          }
        >
          {tab === 'history' ? (
            <HistoryCanvasLayer
              members={history?.members ?? []}
              loadId={history?.loadId ?? 0}
              controller={controller}
              basemapCrs={basemapCrs}
              gapStyle={history?.gapStyle ?? 'dashed'}
            />
          ) : (
            <LiveLayers
              view={view}
              store={live}
              tracker={tracker}
              members={members}
              basemapCrs={basemapCrs}
              onHistory={showHistory}
            />
          )}
        </MapView>
        {tab === 'history' && history ? <HistoryTimeline history={history} controller={controller} /> : null}
        <aside className="side">
          {error ? <p className="form-error">{error}</p> : null}
          {/* Panels stay mounted while hidden, so a half-filled form or a chosen range survives a tab switch. */}
          <div hidden={tab !== 'live'}>
            <WatchList
              station={station}
              members={members}
              live={live}
              tracker={tracker}
              view={view}
              onChanged={refreshMembers}
              onError={onWatchError}
              onHistory={showHistory}
            />
          </div>
          <div hidden={tab !== 'history'}>
            <HistoryPanel
              station={station}
              members={members}
              initialUid={historyUid}
              history={history}
              controller={controller}
              onLoaded={setHistory}
              prepareTrack={prepareTrack}
            />
          </div>
          <div hidden={tab !== 'settings'}>
            {settings ? <SettingsPanel station={station} settings={settings} onSaved={onSettings} /> : null}
            {settings ? <BasemapSettings station={station} settings={settings} onSaved={onSettings} /> : null}
            {settings ? <LivePrefsForm prefs={prefs} onSave={savePrefs} /> : null}
          </div>
        </aside>
      </main>
      <StatusBar station={station} live={live} />
    </div>
  );
}
