import { useEffect, useMemo, useRef, useState, type CSSProperties, type RefObject } from 'react';
import type { Locale } from '../../../contract/station-api.js';
import { formatClock, formatDay } from './clock-text.js';
import { timeAxis, type TimeAxis as Axis } from './time-axis.js';

const localOffset = (ms: number): number => -new Date(ms).getTimezoneOffset();

/**
 * The width the last axis on screen measured. A new axis (each load mounts the timeline again) starts from it, so
 * it renders its ticks in its first render instead of a second one after measuring; a different width re-renders
 * as before.
 */
let lastWidth = 0;

/** The axis's ticks for its measured width (it follows the window: fewer labels when narrow). */
export function useTimeAxis(from: number, to: number): { ref: RefObject<HTMLDivElement | null>; axis: Axis } {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(lastWidth);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = (): void => {
      const width = el.clientWidth;
      // Not from the idle warm-up's off-screen mount (warm-reports.tsx): its width is not the timeline's, and a
      // first load starting from it rendered its ticks twice.
      if (el.getBoundingClientRect().right > 0) lastWidth = width;
      setWidth(width);
    };
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    measure();
    return () => observer.disconnect();
  }, []);
  const axis = useMemo(() => timeAxis(from, to, width, localOffset(from)), [from, to, width]);
  return { ref, axis };
}

/** Hour labels and tick marks under the slider, with the period's start and end at the edges (local time). */
export function TimeAxisLabels({
  from,
  to,
  axis,
  locale,
  axisRef,
  style,
}: {
  from: number;
  to: number;
  axis: Axis;
  locale: Locale;
  axisRef: RefObject<HTMLDivElement | null>;
  style: CSSProperties;
}) {
  const edge = (ms: number) =>
    axis.edgeDates ? `${formatDay(ms, locale)} ${formatClock(ms, locale)}` : formatClock(ms, locale);
  return (
    <div className="time-axis" ref={axisRef} style={style}>
      <span className="axis-edge start" data-edge="start">
        {edge(from)}
      </span>
      {axis.ticks.map((tick) => (
        <span key={tick.t} className="axis-tick" style={{ left: `${tick.x * 100}%` }}>
          {tick.label ? (
            <span className="axis-label">
              {tick.midnight ? formatDay(tick.t, locale) : formatClock(tick.t, locale)}
            </span>
          ) : null}
        </span>
      ))}
      <span className="axis-edge end" data-edge="end">
        {edge(to)}
      </span>
    </div>
  );
}

/** Over the strips: a faint line per tick and the playhead, at the same x as the slider's thumb. */
export function TimeAxisOverlay({
  axis,
  playhead,
  style,
}: {
  axis: Axis;
  playhead: number;
  style: CSSProperties;
}) {
  return (
    <div className="time-overlay" style={style} aria-hidden="true">
      {axis.ticks.map((tick) => (
        <span
          key={tick.t}
          className={tick.label ? 'grid-line major' : 'grid-line'}
          style={{ left: `${tick.x * 100}%` }}
        />
      ))}
      <span className="playhead" style={{ left: `${Math.min(1, Math.max(0, playhead)) * 100}%` }} />
    </div>
  );
}
