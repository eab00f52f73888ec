/**
 * The timeline's one time axis: ticks on local hours over the loaded period, for the pixels the axis has. Labels
 * are kept at least MIN_LABEL_PX apart (every 1, 2, 3, 6 or 12 hours, then days), ticks at least MIN_TICK_PX, and
 * none is labelled so close to an edge that it runs into the period's start or end label. Pure arithmetic on a
 * UTC offset (the caller passes the local one), as in time-presets.ts.
 */
const HOUR = 3_600_000;
const STEPS_H = [1, 2, 3, 6, 12, 24, 48, 168];
export const MIN_LABEL_PX = 56;
const MIN_TICK_PX = 6;

export interface AxisTick {
  t: number;
  /** Position along the axis, 0 (from) to 1 (to). */
  x: number;
  /** Labelled (else only a tick mark). */
  label: boolean;
  /** Local midnight: labelled with the date instead of 00:00. */
  midnight: boolean;
}

export interface TimeAxis {
  ticks: AxisTick[];
  /** The period's start and end labels need the date (it spans more than a day, or crosses local midnight). */
  edgeDates: boolean;
}

/**
 * How far from an edge a label's centre must be to clear the edge label: the edge label's width ("14:32" or, with
 * the date, "11/30 14:32", 11 px bold), half an hour label's, and a gap. At 76 px a dated edge ran into the next
 * hour label ("11/30 17:08" into "20:00" at 86 px).
 */
export function edgeClearPx(edgeDates: boolean): number {
  const edgeLabelPx = edgeDates ? 70 : 34;
  const halfLabelPx = 16;
  const gapPx = edgeDates ? 4 : 0;
  return edgeLabelPx + halfLabelPx + gapPx;
}

export function timeAxis(from: number, to: number, widthPx: number, utcOffsetMinutes: number): TimeAxis {
  const span = to - from;
  const offset = utcOffsetMinutes * 60_000;
  const localDay = (ms: number) => Math.floor((ms + offset) / (24 * HOUR));
  const edgeDates = span > 0 && localDay(from) !== localDay(to);
  if (!(span > 0) || !(widthPx > 0)) return { ticks: [], edgeDates };
  const pxPerHour = (widthPx * HOUR) / span;
  const labelStep = STEPS_H.find((h) => h * pxPerHour >= MIN_LABEL_PX) ?? STEPS_H[STEPS_H.length - 1]!;
  const tickStep = STEPS_H.find((h) => h * pxPerHour >= MIN_TICK_PX && labelStep % h === 0) ?? labelStep;
  const edgePx = edgeClearPx(edgeDates);
  const ticks: AxisTick[] = [];
  const firstHour = Math.ceil((from + offset) / HOUR);
  const lastHour = Math.floor((to + offset) / HOUR);
  for (let hour = Math.ceil(firstHour / tickStep) * tickStep; hour <= lastHour; hour += tickStep) {
    const t = hour * HOUR - offset;
    const x = (t - from) / span;
    const clear = x * widthPx >= edgePx && (1 - x) * widthPx >= edgePx;
    ticks.push({ t, x, label: hour % labelStep === 0 && clear, midnight: hour % 24 === 0 });
  }
  return { ticks, edgeDates };
}
