/**
 * An export format as text fragments: the writer streams `begin`, then for each pass every point through
 * `point`, then `end`. Formats whose structure lists the fixes twice (a line, then one placemark/feature per
 * fix) take two passes over the range instead of holding the track in memory.
 */
import type { ExportFormat } from '../../../../contract/station-api.js';
import type { ExportPoint } from '../point.js';

export interface ExportMeta {
  uid: string;
  /** The dispatcher's label for the member, if any. */
  label?: string;
  from: number;
  to: number;
  /** Fixes in the range. */
  count: number;
  createdAt: number;
}

export interface TrackFormat {
  format: ExportFormat;
  extension: string;
  mediaType: string;
  passes: number;
  begin(meta: ExportMeta): string;
  beginPass(pass: number, meta: ExportMeta): string;
  /** `index` counts points within the pass, from 0. */
  point(point: ExportPoint, index: number, pass: number, meta: ExportMeta): string;
  endPass(pass: number, meta: ExportMeta): string;
  end(meta: ExportMeta): string;
}

/** Render a whole export in memory: for tests and small ranges. The file writer streams the same fragments. */
export function renderAll(format: TrackFormat, meta: ExportMeta, points: readonly ExportPoint[]): string {
  let out = format.begin(meta);
  for (let pass = 0; pass < format.passes; pass++) {
    out += format.beginPass(pass, meta);
    points.forEach((p, i) => (out += format.point(p, i, pass, meta)));
    out += format.endPass(pass, meta);
  }
  return out + format.end(meta);
}
