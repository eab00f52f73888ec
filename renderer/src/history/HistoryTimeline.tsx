import { useEffect, useMemo, useRef, useState } from 'react';
import { snapshotAt } from '../../../contract/track/sample.js';
import { formatDuration, formatTime } from '../format/format.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { formatSpan } from './clock-text.js';
import { gapJumpAt, type GapJump } from './gap-jump.js';
import { HealthStrip } from './HealthStrip.js';
import type { LoadedHistory } from './history-types.js';
import { PLAYBACK_SPEEDS } from './playback-clock.js';
import { TimeAxisLabels, TimeAxisOverlay, useTimeAxis } from './TimeAxis.js';
import type { PlaybackController, PlaybackSnapshot } from './playback-controller.js';
import { fromLocalInput, localUtcOffset, toLocalInput } from './time-presets.js';

const sameSnapshot = (a: PlaybackSnapshot, b: PlaybackSnapshot): boolean =>
  a.time === b.time &&
  a.playing === b.playing &&
  a.speed === b.speed &&
  a.from === b.from &&
  a.to === b.to &&
  a.followed === b.followed;

/**
 * The one time axis under the map: play/pause, speed, the scrubber, a typed time, per member the data-health strip,
 * where the member was at the playback time (the snapshot) and a Follow button (the map keeps that member in view). While playing, a stretch where no member has data
 * is jumped, and the jump is said.
 */
export function HistoryTimeline({
  history,
  controller,
}: {
  history: LoadedHistory;
  controller: PlaybackController;
}) {
  const { t, locale } = useI18n();
  const [snap, setSnap] = useState<PlaybackSnapshot>(() => controller.snapshot());
  const [jump, setJump] = useState<GapJump | undefined>();
  // The Time box: what the dispatcher is typing while it has focus, otherwise the controller's time (a shown time that
  // follows playback at most once a wall-clock second, and at once when paused or moved).
  const [typed, setTyped] = useState<string | undefined>();
  const [boxTime, setBoxTime] = useState(() => controller.snapshot().time);
  const segments = useMemo(() => history.members.map((m) => m.analysis.segments), [history]);
  const { ref: axisRef, axis } = useTimeAxis(snap.from, snap.to);
  const rows = history.members.length;

  useEffect(() => {
    let shownAt = 0;
    let boxAt = 0;
    let followedShown = controller.snapshot().followed;
    return controller.subscribe((s) => {
      // Following started or stopped (by hand, on the map): the button says so at once, even while playing.
      if (s.followed !== followedShown) {
        followedShown = s.followed;
        shownAt = 0;
      }
      if (s.playing) {
        const j = gapJumpAt(segments, s.time);
        if (j) {
          setJump(j);
          controller.seek(j.to);
          return;
        }
        const now = performance.now();
        if (now - boxAt >= 1000) {
          boxAt = now;
          setBoxTime(s.time);
        }
        // The markers move every frame on their canvas; the clock text and snapshot need not re-render that often.
        if (now - shownAt < 100) return;
        shownAt = now;
      } else {
        boxAt = 0;
        setBoxTime(s.time);
      }

      // The subscription's first call repeats the snapshot this mount rendered with: no second render for it.
      setSnap((prev) => (sameSnapshot(prev, s) ? prev : s));
    });
  }, [controller, segments]);
  useEffect(() => {
    if (!jump) return;
    const timer = setTimeout(() => setJump(undefined), 4000);
    return () => clearTimeout(timer);
  }, [jump]);

  // Seeks once the typed time is committed (Enter, leaving the box), not at each keystroke: typing the hour first
  // made playback jump to the period's start or end. The box's fields each fire `change`, so that cannot tell.
  // Then the box is the controller's again, which may have clamped the typed time.
  // Focus and leave without typing is no seek (playback may have moved on since the focus).
  const edited = useRef(false);
  const endTyping = (): void => {
    const ms = typed === undefined ? undefined : fromLocalInput(typed, localUtcOffset(Date.now()));
    if (edited.current && ms !== undefined) controller.seek(ms);
    edited.current = false;
    setTyped(undefined);
  };

  return (
    <section className="history-timeline" aria-label={t('timeline.title')}>
      <div className="timeline-controls">
        {/* Playback reads every fix: it waits for the columns, never plays the outline. */}
        <button
          type="button"
          className="play"
          disabled={history.columns.done < history.columns.total}
          title={history.columns.done < history.columns.total ? t('timeline.fixesLoading') : undefined}
          onClick={() => controller.toggle()}
        >
          {snap.playing ? t('playback.pause') : t('playback.play')}
        </button>
        <label>
          {t('playback.speed')}{' '}
          <select value={snap.speed} onChange={(e) => controller.setSpeed(Number(e.target.value))}>
            {PLAYBACK_SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <output className="playback-time">{formatTime(snap.time, locale)}</output>
        <label>
          {t('timeline.goTo')}{' '}
          <input
            type="datetime-local"
            step={1}
            name="snapshotTime"
            value={typed ?? toLocalInput(boxTime, localUtcOffset(boxTime), true)}
            onFocus={(e) => {
              edited.current = false;
              setTyped(e.target.value);
            }}
            onChange={(e) => {
              edited.current = true;
              setTyped(e.target.value);
            }}
            onBlur={endTyping}
            onKeyDown={(e) => {
              if (e.key === 'Enter') endTyping();
            }}
          />
        </label>
        {jump ? (
          <span className="jump-note" role="status">
            {t('timeline.jumped', {
              span: formatSpan(jump.gapFrom, jump.gapTo, locale),
              duration: formatDuration(jump.gapTo - jump.gapFrom, locale),
            })}
          </span>
        ) : null}
      </div>
      {/* One x scale: the slider, the axis, every strip and the playhead share the grid's middle column. */}
      <div className="timeline-grid">
        <input
          type="range"
          className="playback-slider"
          style={{ gridRow: 1 }}
          aria-label={t('playback.position')}
          min={snap.from}
          max={snap.to}
          step={1000}
          value={snap.time}
          onChange={(e) => controller.seek(Number(e.target.value))}
        />
        <TimeAxisLabels
          from={snap.from}
          to={snap.to}
          axis={axis}
          locale={locale}
          axisRef={axisRef}
          style={{ gridRow: 2 }}
        />
        {history.members.map((m, k) => {
          // No snapshot from the outline: it has not every fix, so it could claim a position the member never had.
          const at = m.track ? snapshotAt(m.track, snap.time) : undefined;
          return (
            <div className="timeline-row" key={m.uid} data-uid={m.uid}>
              <span className="timeline-name" style={{ gridRow: k + 3 }} title={m.label}>
                <span className="swatch" style={{ background: m.color }} />
                {m.label}
              </span>
              <HealthStrip
                member={m}
                from={snap.from}
                to={snap.to}
                row={k + 3}
                title={t('timeline.health')}
                onPick={(time) => controller.show(m.uid, time)}
              />
              <span
                className={at?.kind === 'fix' ? 'snapshot' : 'snapshot none'}
                data-snapshot={at?.kind ?? 'loading'}
                style={{ gridRow: k + 3 }}
              >
                {at === undefined
                  ? t('timeline.fixesLoading')
                  : at.kind === 'fix'
                    ? t('timeline.fixAge', { age: formatDuration(at.ageMs, locale) })
                    : t('timeline.noFix')}
              </span>
              <button
                type="button"
                className={snap.followed === m.uid ? 'follow active' : 'follow'}
                style={{ gridRow: k + 3 }}
                aria-pressed={snap.followed === m.uid}
                title={t(snap.followed === m.uid ? 'timeline.unfollowTitle' : 'timeline.followTitle', {
                  name: m.label,
                })}
                onClick={() => controller.follow(snap.followed === m.uid ? undefined : m.uid)}
              >
                {snap.followed === m.uid ? t('watch.following') : t('popup.follow')}
              </button>
            </div>
          );
        })}
        {rows > 0 ? (
          <TimeAxisOverlay
            axis={axis}
            playhead={(snap.time - snap.from) / (snap.to - snap.from)}
            style={{ gridRow: `3 / span ${rows}` }}
          />
        ) : null}
      </div>
      <p className="hint timeline-legend">{t('timeline.legend')}</p>
    </section>
  );
}
