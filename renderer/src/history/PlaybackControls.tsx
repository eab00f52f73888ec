import { useEffect, useState } from 'react';
import { formatTime } from '../format/format.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { PLAYBACK_SPEEDS } from './playback-clock.js';
import type { PlaybackController, PlaybackSnapshot } from './playback-controller.js';

/** Play/pause, speed and the time slider. Re-renders per frame while playing: it is three small elements. */
export function PlaybackControls({ controller }: { controller: PlaybackController }) {
  const { t, locale } = useI18n();
  const [snap, setSnap] = useState<PlaybackSnapshot>(() => controller.snapshot());
  useEffect(() => controller.subscribe(setSnap), [controller]);

  return (
    <div className="playback">
      <button type="button" className="play" onClick={() => controller.toggle()}>
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
      <input
        type="range"
        className="playback-slider"
        aria-label={t('playback.position')}
        min={snap.from}
        max={snap.to}
        step={1000}
        value={snap.time}
        onChange={(e) => controller.seek(Number(e.target.value))}
      />
      <output className="playback-time">{formatTime(snap.time, locale)}</output>
    </div>
  );
}
