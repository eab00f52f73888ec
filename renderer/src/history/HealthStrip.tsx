import { useEffect, useMemo, useRef } from 'react';
import type { HistoryMember } from './history-types.js';
import { stripBuckets } from './health.js';
import { GAP_FILL, HOLE_FILL } from './health-colors.js';

const WIDTH = 720;
const HEIGHT = 26;
/** Two rows under the bars: blue where a catch-up or backfill filled the track in, orange where fixes came late. */
const ROW = 4;
const BARS = HEIGHT - 2 * ROW - 2;

let hatch: CanvasPattern | null | undefined;
/** Light diagonal stripes: they mark filled-in stretches over bars of any member's colour. */
function hatchPattern(ctx: CanvasRenderingContext2D): CanvasPattern | null {
  if (hatch !== undefined) return hatch;
  const tile = document.createElement('canvas');
  tile.width = tile.height = 6;
  const t = tile.getContext('2d');
  if (t) {
    t.strokeStyle = 'rgba(255, 255, 255, 0.75)';
    t.lineWidth = 2;
    t.beginPath();
    t.moveTo(-1, 7);
    t.lineTo(7, -1);
    t.stroke();
  }
  hatch = ctx.createPattern(tile, 'repeat');
  return hatch;
}

/**
 * One member's data health over the period: a bar per bucket, as tall as the fixes per minute against the busiest
 * bucket; gaps in red along the top, holes the store recorded in dark red over the whole height; along the bottom,
 * stretches filled in later (catch-up, backfill) in blue (and striped bars above), fixes that arrived late in
 * orange, dark grey where the arrival is unknown. Clicking picks that time.
 */
export function HealthStrip({
  member,
  from,
  to,
  onPick,
  title,
  row,
}: {
  member: HistoryMember;
  from: number;
  to: number;
  /** Its row in the timeline's grid. */
  row: number;
  onPick: (time: number) => void;
  title: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  // From the station's counts per minute: the same bars before and after every fix has arrived.
  const strip = useMemo(() => stripBuckets(member.counts, from, to, WIDTH), [member.counts, from, to]);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const x = (t: number) => ((t - from) / (to - from)) * WIDTH;
    ctx.clearRect(0, 0, WIDTH, HEIGHT);
    ctx.fillStyle = '#f0f2f6';
    ctx.fillRect(0, 0, WIDTH, HEIGHT);
    let max = 1;
    for (const c of strip.counts) if (c > max) max = c;
    ctx.fillStyle = member.color;
    const w = (strip.bucketMs / (to - from)) * WIDTH;
    strip.counts.forEach((c, b) => {
      if (c === 0) return;
      const h = Math.max(2, (c / max) * BARS);
      ctx.fillRect(x(strip.from + b * strip.bucketMs), BARS - h, Math.max(1, w), h);
    });
    const band = (spans: readonly { fromTs: number; toTs: number }[], y: number, height: number): void => {
      for (const span of spans)
        ctx.fillRect(x(span.fromTs), y, Math.max(2, x(span.toTs) - x(span.fromTs)), height);
    };
    const filledY = BARS + 1;
    const lateY = filledY + ROW + 1;
    ctx.fillStyle = '#e3e7ee';
    ctx.fillRect(0, filledY, WIDTH, ROW);
    ctx.fillRect(0, lateY, WIDTH, ROW);
    // Where arrivals are unknown (stored by an older station) an empty row would read as "live, on time".
    ctx.fillStyle = '#9aa3b1';
    band(member.arrival.unknown, filledY, 2 * ROW + 1);
    // Filled-in stretches also stripe the bars above them, so normal-looking bars do not pass for live ones.
    ctx.fillStyle = hatchPattern(ctx) ?? 'rgba(255, 255, 255, 0.5)';
    band(member.arrival.filled, 0, BARS);
    ctx.fillStyle = '#1565c0';
    band(member.arrival.filled, filledY, ROW);
    ctx.fillStyle = '#ef8f00';
    band(member.arrival.late, lateY, ROW);
    ctx.fillStyle = GAP_FILL;
    for (const gap of member.analysis.gaps)
      ctx.fillRect(x(gap.fromTs), 0, Math.max(1, x(gap.toTs) - x(gap.fromTs)), 4);
    ctx.fillStyle = HOLE_FILL;
    for (const hole of member.holes)
      ctx.fillRect(x(hole.fromTs), 0, Math.max(2, x(hole.toTs) - x(hole.fromTs)), HEIGHT);
  }, [strip, member, from, to]);
  return (
    <canvas
      ref={canvas}
      className="health-strip"
      style={{ gridRow: row }}
      width={WIDTH}
      height={HEIGHT}
      title={title}
      data-uid={member.uid}
      onClick={(e) => {
        const box = e.currentTarget.getBoundingClientRect();
        onPick(from + ((e.clientX - box.left) / box.width) * (to - from));
      }}
    />
  );
}
