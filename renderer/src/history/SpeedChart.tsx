/**
 * Speed over time as a small SVG: one bucket per pixel column (highest speed in it), a cursor at the playback
 * time. Clicking the chart seeks playback there.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TrackColumns } from '../../../contract/station-api.js';
import type { TrackSegment } from '../../../contract/track/segments.js';
import { formatSpeed } from '../format/format.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { PlaybackController } from './playback-controller.js';
import { chartPath, chartRuns, speedSeries } from './track-sample.js';

const WIDTH = 320;
const HEIGHT = 90;
const PAD = 4;

export function SpeedChart({
  track,
  segments,
  controller,
}: {
  track: TrackColumns;
  /** The member's segments: the line breaks at each gap between them. */
  segments: readonly TrackSegment[];
  controller: PlaybackController;
}) {
  const { t, locale } = useI18n();
  const cursorRef = useRef<SVGLineElement | null>(null);
  // The playback clock's span, the timeline's x scale: every member's chart lines up with the others and with the
  // timeline (each spanning its own first to last fix, they did not, and a member starting later had no cursor).
  const [span, setSpan] = useState(() => {
    const { from, to } = controller.snapshot();
    return { from, to };
  });
  const { from, to } = span;
  useEffect(
    () =>
      controller.subscribe((s) =>
        setSpan((old) => (old.from === s.from && old.to === s.to ? old : { from: s.from, to: s.to })),
      ),
    [controller],
  );
  const { path, top } = useMemo(() => {
    const runs = chartRuns(
      track.ts,
      speedSeries(track, segments),
      track.count,
      from,
      to,
      WIDTH - 2 * PAD,
      segments,
    );
    const peak = runs.reduce((m, run) => run.reduce((r, b) => Math.max(r, b.max), m), 0);
    const yMax = peak > 0 ? peak * 1.1 : 1;
    const x = (time: number) => PAD + ((time - from) / (to - from)) * (WIDTH - 2 * PAD);
    const y = (speed: number) => HEIGHT - PAD - (speed / yMax) * (HEIGHT - 2 * PAD);
    return { path: chartPath(runs, x, y), top: peak };
  }, [track, from, to, segments]);

  // The cursor moves every frame during playback: set its attributes directly instead of re-rendering.
  useEffect(
    () =>
      controller.subscribe(({ time }) => {
        const x = PAD + ((time - from) / Math.max(1, to - from)) * (WIDTH - 2 * PAD);
        cursorRef.current?.setAttribute('x1', x.toFixed(1));
        cursorRef.current?.setAttribute('x2', x.toFixed(1));
      }),
    [controller, from, to],
  );

  if (!path) return <p className="hint">{t('chart.noData')}</p>;
  return (
    <figure className="speed-chart">
      <figcaption>
        {t('chart.title')} <small>≤ {formatSpeed(top, locale)}</small>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={t('chart.title')}
        onClick={(e) => {
          const box = e.currentTarget.getBoundingClientRect();
          const f = (e.clientX - box.left) / box.width;
          controller.seek(from + f * (to - from));
        }}
      >
        <rect x="0" y="0" width={WIDTH} height={HEIGHT} className="chart-bg" />
        <path d={path} className="chart-line" />
        <line ref={cursorRef} y1="0" y2={HEIGHT} className="chart-cursor" />
      </svg>
    </figure>
  );
}
