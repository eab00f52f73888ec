import { useEffect, useRef, useState } from 'react';
import type { StationApi, TrackColumns, TrackStats, WatchedMember } from '../../../contract/station-api.js';
import { formatDistance, formatDuration, formatSpeed } from '../format/format.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { ExportButtons } from './ExportButtons.js';
import { loadTrack, OVERVIEW_MAX_POINTS } from './load-track.js';
import { PlaybackControls } from './PlaybackControls.js';
import type { PlaybackController } from './playback-controller.js';
import { SpeedChart } from './SpeedChart.js';
import {
  fromLocalInput,
  presetRange,
  TIME_PRESETS,
  toLocalInput,
  validRange,
  type TimePreset,
} from './time-presets.js';
import { errorText } from '../i18n/error-text.js';

export interface LoadedHistory {
  uid: string;
  from: number;
  to: number;
  track: TrackColumns;
  stats: TrackStats;
}

const localOffset = (ms: number): number => -new Date(ms).getTimezoneOffset();

/** History review: member and range, progress while loading, stats, speed chart, playback and exports. */
export function HistoryPanel({
  station,
  members,
  initialUid,
  history,
  controller,
  onLoaded,
}: {
  station: StationApi;
  members: readonly WatchedMember[];
  initialUid: string | undefined;
  history: LoadedHistory | undefined;
  controller: PlaybackController;
  onLoaded: (history: LoadedHistory | undefined) => void;
}) {
  const { t } = useI18n();
  const [uid, setUid] = useState(initialUid ?? history?.uid ?? members[0]?.uid ?? '');
  const [preset, setPreset] = useState<TimePreset>('today');
  const [fromText, setFromText] = useState(() =>
    toLocalInput(Date.now() - 3_600_000, localOffset(Date.now())),
  );
  const [toText, setToText] = useState(() => toLocalInput(Date.now(), localOffset(Date.now())));
  const [percent, setPercent] = useState<number | undefined>();
  const [error, setError] = useState<string | undefined>();
  const loadSignal = useRef({ cancelled: false });

  useEffect(() => {
    if (initialUid) setUid(initialUid);
  }, [initialUid]);
  useEffect(() => () => void (loadSignal.current.cancelled = true), []);

  const range = (): { from: number; to: number } | undefined => {
    const now = Date.now();
    if (preset !== 'custom') return presetRange(preset, now, localOffset(now));
    const r = {
      from: fromLocalInput(fromText, localOffset(now)),
      to: fromLocalInput(toText, localOffset(now)),
    };
    return validRange(r) ? r : undefined;
  };

  const load = (): void => {
    const r = range();
    if (!uid) return;
    if (!r) {
      setError(t('history.badRange'));
      return;
    }
    loadSignal.current.cancelled = true;
    const signal = { cancelled: false };
    loadSignal.current = signal;
    setError(undefined);
    setPercent(0);
    const statsCall = station.stats({ uid, ...r });
    // Awaited below; this only keeps a failure from being reported as unhandled when the track load fails first.
    statsCall.catch(() => undefined);
    const onProgress = (done: number, total: number): void => setPercent(Math.round((done / total) * 100));
    loadTrack(station, { uid, ...r, maxPoints: OVERVIEW_MAX_POINTS }, onProgress, signal)
      .then(async (track) => {
        if (!track || signal.cancelled) return;
        const stats = await statsCall;
        if (signal.cancelled) return;
        onLoaded({ uid, ...r, track, stats });
        // Playback spans the fixes, not the empty ends of the chosen range.
        const first = track.count > 0 ? (track.ts[0] as number) : r.from;
        const last = track.count > 0 ? (track.ts[track.count - 1] as number) : r.to;
        controller.reset(first, last);
      })
      .catch((e: unknown) => {
        if (!signal.cancelled) setError(errorText(t, e));
      })
      .finally(() => {
        if (!signal.cancelled) setPercent(undefined);
      });
  };

  const track = history?.track;
  return (
    <section className="history-panel" aria-label={t('history.title')}>
      <h2>{t('history.title')}</h2>
      <label>
        {t('history.member')}
        <select name="member" value={uid} onChange={(e) => setUid(e.target.value)}>
          <option value="">{t('history.chooseMember')}</option>
          {members.map((m) => (
            <option key={m.uid} value={m.uid}>
              {m.label === m.uid ? m.uid : `${m.label} (${m.uid})`}
            </option>
          ))}
        </select>
      </label>
      <div className="presets" role="radiogroup">
        {TIME_PRESETS.map((p) => (
          <label key={p} className={p === preset ? 'preset active' : 'preset'}>
            <input
              type="radio"
              name="preset"
              value={p}
              checked={p === preset}
              onChange={() => setPreset(p)}
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
      <button type="button" className="primary load" disabled={!uid || percent !== undefined} onClick={load}>
        {t('history.load')}
      </button>
      {percent !== undefined ? (
        <p className="loading">
          <progress value={percent} max={100} /> {t('history.loading', { percent })}
        </p>
      ) : null}
      {error ? <p className="form-error">{error}</p> : null}

      {history && track && percent === undefined ? (
        track.count === 0 ? (
          <p className="hint">{t('history.empty')}</p>
        ) : (
          <>
            <p className="hint track-count">
              {track.downsampled
                ? t('history.downsampled', { shown: track.count, total: track.totalCount })
                : t('history.points', { count: track.count })}
            </p>
            <StatsTable stats={history.stats} />
            <SpeedChart
              track={track}
              from={track.ts[0] as number}
              to={track.ts[track.count - 1] as number}
              controller={controller}
            />
            <PlaybackControls controller={controller} />
            <ExportButtons station={station} uid={history.uid} from={history.from} to={history.to} />
          </>
        )
      ) : null}
    </section>
  );
}

function StatsTable({ stats }: { stats: TrackStats }) {
  const { t, locale } = useI18n();
  return (
    <dl className="stats">
      <dt>{t('stats.distance')}</dt>
      <dd data-stat="distance">{formatDistance(stats.distanceM, locale)}</dd>
      <dt>{t('stats.duration')}</dt>
      <dd data-stat="duration">{formatDuration(stats.durationMs, locale)}</dd>
      <dt>{t('stats.moving')}</dt>
      <dd data-stat="moving">{formatDuration(stats.movingMs, locale)}</dd>
      <dt>{t('stats.maxSpeed')}</dt>
      <dd data-stat="maxSpeed">{formatSpeed(stats.maxSpeedMps, locale)}</dd>
      <dt>{t('stats.count')}</dt>
      <dd data-stat="count">{stats.count}</dd>
    </dl>
  );
}
