import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { StationApi, TrackColumns, WatchedMember } from '../../../contract/station-api.js';
import { DEFAULT_TRACK_SETTINGS, type TrackSettings } from '../../../contract/track/settings.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { errorText } from '../i18n/error-text.js';
import { afterNextPaint, markAfterNextPaint } from './after-paint.js';
import { ExportButtons } from './ExportButtons.js';
import type { GapStyle, HistoryMember, LoadedHistory } from './history-types.js';
import { analyzeAll, loadColumns, loadOverviews, type LoadedTrack } from './load-history.js';
import { MemberReport } from './MemberReport.js';
import type { PlaybackController } from './playback-controller.js';
import {
  customInputsFrom,
  fromLocalInput,
  localUtcOffset,
  presetRange,
  TIME_PRESETS,
  toLocalInput,
  rangeProblem,
  type TimePreset,
} from './time-presets.js';
import { MemberPicks } from './MemberPicks.js';
import { TrackSettingsForm } from './TrackSettingsForm.js';

export type { LoadedHistory } from './history-types.js';

interface Loaded {
  tracks: LoadedTrack[];
  from: number;
  to: number;
  started: number;
  /** Overviews loaded, ms after the Load click. */
  loadMs: number;
  loadId: number;
  /** Members whose columns arrived. */
  columns: number;
}

function historyOf(loaded: Loaded, members: HistoryMember[], gapStyle: GapStyle): LoadedHistory {
  return {
    loadId: loaded.loadId,
    from: loaded.from,
    to: loaded.to,
    members,
    gapStyle,
    loadMs: loaded.loadMs,
    columns: { done: loaded.columns, total: loaded.tracks.length },
  };
}

function sameHistory(a: LoadedHistory, b: LoadedHistory): boolean {
  return (
    a.loadId === b.loadId &&
    a.gapStyle === b.gapStyle &&
    a.columns.done === b.columns.done &&
    a.members.length === b.members.length &&
    a.members.every((m, k) => m === b.members[k])
  );
}

/**
 * History review: several members and a period, gap and stop settings, then per member the cleaned figures, the
 * gaps and the stops; exports of the same selection. The map and the timeline under it show the loaded period.
 */
/**
 * Memoized: its props do not change when the dispatcher switches tabs, and with 5,000 watched members a re-render
 * of the member picks on every switch was a visible share of the switch.
 */
export const HistoryPanel = memo(function HistoryPanel({
  station,
  members,
  initialUid,
  history,
  controller,
  onLoaded,
  prepareTrack,
}: {
  station: StationApi;
  members: readonly WatchedMember[];
  initialUid: string | undefined;
  history: LoadedHistory | undefined;
  controller: PlaybackController;
  onLoaded: (history: LoadedHistory | undefined) => void;
  /** Work the map will need per member, done as each reply arrives (the projection for the basemap). */
  prepareTrack?: (track: TrackColumns) => void;
}) {
  const { t } = useI18n();
  const [selected, setSelected] = useState<string[]>(() => (initialUid ? [initialUid] : []));
  const [preset, setPreset] = useState<TimePreset>('today');
  const [fromText, setFromText] = useState(() =>
    toLocalInput(Date.now() - 3_600_000, localUtcOffset(Date.now())),
  );
  const [toText, setToText] = useState(() => toLocalInput(Date.now(), localUtcOffset(Date.now())));
  const [settings, setSettings] = useState<TrackSettings>(DEFAULT_TRACK_SETTINGS);
  const [gapStyle, setGapStyle] = useState<GapStyle>('dashed');
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [loaded, setLoaded] = useState<Loaded>();
  const loadSignal = useRef({ cancelled: false });
  const loadCount = useRef(0);

  useEffect(() => {
    if (initialUid) setSelected((s) => (s.includes(initialUid) ? s : [...s, initialUid]));
  }, [initialUid]);
  useEffect(() => () => void (loadSignal.current.cancelled = true), []);

  // Settings re-cut the loaded tracks without reading them again.
  const analysed = useMemo(() => {
    if (!loaded) return undefined;
    const members = analyzeAll(loaded.tracks, settings);
    performance.mark('history:analysed');
    return members;
  }, [loaded, settings]);
  // What the load callback already handed over (so the first draw is one render, not the panel's then the map's).
  const sent = useRef<LoadedHistory | undefined>(undefined);
  useEffect(() => {
    if (!loaded || !analysed) return;
    const next = historyOf(loaded, analysed, gapStyle);
    if (sent.current && sameHistory(sent.current, next)) return;
    sent.current = next;
    onLoaded(next);
  }, [loaded, analysed, gapStyle, onLoaded]);

  const range = (): { from: number; to: number } | 'noStart' | 'noEnd' | 'order' => {
    const now = Date.now();
    if (preset !== 'custom') return presetRange(preset, now, localUtcOffset(now))!;
    const r = {
      from: fromLocalInput(fromText, localUtcOffset(now)),
      to: fromLocalInput(toText, localUtcOffset(now)),
    };
    return rangeProblem(r) ?? (r as { from: number; to: number });
  };

  const load = (): void => {
    const started = performance.now();
    performance.mark('history:choose');
    const r = range();
    const chosen = members.filter((m) => selected.includes(m.uid));
    if (chosen.length === 0) return;
    // The previous period goes as soon as another is asked for: its timeline, playback and reports must not pass for
    // the new one while that loads, nor after a refused range.
    loadSignal.current.cancelled = true;
    if (controller.snapshot().playing) controller.toggle();
    setLoaded(undefined);
    sent.current = undefined;
    onLoaded(undefined);
    if (typeof r === 'string') {
      setProgress(undefined);
      setError(t(r === 'order' ? 'history.badRange' : `history.${r}`));
      return;
    }
    const signal = { cancelled: false };
    loadSignal.current = signal;
    setError(undefined);
    setProgress({ done: 0, total: chosen.length });
    loadOverviews(station, chosen, r, settings, (done, total) => setProgress({ done, total }), signal)
      .then((tracks) => {
        if (!tracks || signal.cancelled) return;
        performance.mark('history:fetched');
        const loadId = ++loadCount.current;
        const first = { tracks, ...r, started, loadMs: performance.now() - started, loadId, columns: 0 };
        setLoaded(first);
        // Handed to the map and the timeline in the same render as the panel's (analyzeAll keeps the members, so
        // the effect above finds them the same and does not hand them over again).
        sent.current = historyOf(first, analyzeAll(tracks, settings), gapStyle);
        onLoaded(sent.current);
        const firsts = tracks.filter((x) => x.overview.count > 0);
        const firstTs = Math.min(...firsts.map((x) => x.overview.firstTs!));
        const lastTs = Math.max(...firsts.map((x) => x.overview.lastTs!));
        // Playback spans the fixes, not the empty ends of the chosen period.
        controller.reset(firsts.length ? firstTs : r.from, firsts.length ? lastTs : r.to);
        // Every fix follows, after the first draw: playback, the snapshot, the speed chart and a re-cut need them.
        const replace = (k: number, track: TrackColumns) =>
          setLoaded((l) =>
            l?.loadId === loadId
              ? {
                  ...l,
                  tracks: l.tracks.map((x, i) =>
                    i === k ? { member: x.member, overview: x.overview, track } : x,
                  ),
                  columns: l.columns + 1,
                }
              : l,
          );
        const columnsSignal = signal;
        // Started once the overview is on screen, not competing with it: a timer of 0 ran before that frame (in a
        // profile of a first load, ~9 ms starting the request, and the host's 3 MB reply coming in meanwhile).
        afterNextPaint(() => {
          if (columnsSignal.cancelled) return;
          loadColumns(station, tracks, r, replace, columnsSignal, prepareTrack)
            .then(() => {
              if (!columnsSignal.cancelled) performance.mark('history:columns');
            })
            .catch((e: unknown) => {
              if (!columnsSignal.cancelled) setError(errorText(t, e));
            });
        });
      })
      .catch((e: unknown) => {
        if (!signal.cancelled) setError(errorText(t, e));
      })
      .finally(() => {
        if (!signal.cancelled) setProgress(undefined);
      });
  };

  const toggle = useCallback(
    (uid: string): void => setSelected((s) => (s.includes(uid) ? s.filter((u) => u !== uid) : [...s, uid])),
    [],
  );
  const empty = history && history.members.every((m) => m.count === 0);
  const columnsPending = loaded !== undefined && loaded.columns < loaded.tracks.length;
  // The benchmark's "reports shown": the frame after the reports of a loaded period are in the page.
  const reportsOf = history && !progress ? history.loadId : undefined;
  useLayoutEffect(() => {
    if (reportsOf !== undefined) markAfterNextPaint('history:reports');
  }, [reportsOf]);

  return (
    <section className="history-panel" aria-label={t('history.title')}>
      <h2>{t('history.title')}</h2>
      <MemberPicks members={members} selected={selected} onToggle={toggle} />
      <div className="presets" role="radiogroup">
        {TIME_PRESETS.map((p) => (
          <label key={p} className={p === preset ? 'preset active' : 'preset'}>
            <input
              type="radio"
              name="preset"
              value={p}
              checked={p === preset}
              onChange={() => {
                if (p === 'custom' && preset !== 'custom') {
                  const now = Date.now();
                  const inputs = customInputsFrom(preset, now, localUtcOffset(now));
                  setFromText(inputs.from);
                  setToText(inputs.to);
                }
                setPreset(p);
              }}
            />
            {t(`preset.${p}`)}
          </label>
        ))}
      </div>
      {preset === 'custom' ? (
        <div className="custom-range">
          <label>
            {t('history.from')}
            <input type="datetime-local" value={fromText} onChange={(e) => setFromText(e.target.value)} />
          </label>
          <label>
            {t('history.to')}
            <input type="datetime-local" value={toText} onChange={(e) => setToText(e.target.value)} />
          </label>
        </div>
      ) : null}
      <TrackSettingsForm
        disabled={columnsPending}
        settings={settings}
        gapStyle={gapStyle}
        onSettings={setSettings}
        onGapStyle={setGapStyle}
      />
      <button
        type="button"
        className="primary load"
        disabled={selected.length === 0 || progress !== undefined}
        onClick={load}
      >
        {t('history.load')}
      </button>
      {progress ? (
        <p className="loading">
          <progress value={progress.done} max={progress.total} /> {t('history.loadingMembers', progress)}
        </p>
      ) : null}
      {error ? <p className="form-error">{error}</p> : null}
      {columnsPending && !progress ? (
        <p className="loading columns-loading">
          <progress value={loaded.columns} max={loaded.tracks.length} />{' '}
          {t('history.loadingFixes', { done: loaded.columns, total: loaded.tracks.length })}
        </p>
      ) : null}

      {history && !progress ? (
        empty ? (
          <p className="hint">{t('history.empty')}</p>
        ) : (
          <>
            {history.members.map((m) => (
              <MemberReport key={m.uid} member={m} controller={controller} />
            ))}
            <ExportButtons
              station={station}
              uids={history.members.map((m) => m.uid)}
              from={history.from}
              to={history.to}
              settings={settings}
            />
          </>
        )
      ) : null}
    </section>
  );
});
