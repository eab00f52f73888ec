/**
 * An export format as text fragments. The writer calls `begin` once, then per member `beginMember`, `segment`
 * for each of its segments (1-based numbers, the points of one segment), `endMember` (which may list its stops),
 * and finally `end`. Pieces that are list items in the format (GeoJSON features) are joined with `separator`.
 */
import type { ExportFormat } from '../../../../contract/station-api.js';
import type { ExportPoint } from '../point.js';

export interface ExportStop {
  /** 1-based, per member, in time order. */
  number: number;
  fromTs: number;
  toTs: number;
  /** WGS-84 centre. */
  lat: number;
  lon: number;
}

export interface ExportMember {
  uid: string;
  /** The dispatcher's label for the member, if any. */
  label?: string;
  count: number;
  segments: number;
  stops: ExportStop[];
}

export interface ExportMeta {
  members: ExportMember[];
  from: number;
  to: number;
  /** Fixes in the file, all members. */
  count: number;
  createdAt: number;
  /** The dispatcher's zone, minutes east of UTC (CSV times carry it). */
  utcOffsetMinutes: number;
}

export interface TrackFormat {
  format: ExportFormat;
  extension: string;
  mediaType: string;
  separator: string;
  begin(meta: ExportMeta): string;
  beginMember(member: ExportMember, meta: ExportMeta): string;
  segment(member: ExportMember, number: number, points: readonly ExportPoint[], meta: ExportMeta): string;
  endMember(member: ExportMember, meta: ExportMeta): string;
  end(meta: ExportMeta): string;
}

export const memberName = (m: ExportMember): string =>
  m.label && m.label !== m.uid ? `${m.label} (${m.uid})` : m.uid;

/** Joins the item pieces (`segment` and `endMember` output) with the format's separator. */
export class PieceJoiner {
  private items = 0;
  constructor(private readonly separator: string) {}
  item(piece: string): string {
    if (!piece) return '';
    return (this.items++ > 0 ? this.separator : '') + piece;
  }
}

/** Render a whole export in memory (tests, small ranges); the file writer streams the same fragments. */
export function renderAll(
  format: TrackFormat,
  meta: ExportMeta,
  segments: ReadonlyMap<string, readonly (readonly ExportPoint[])[]>,
): string {
  const join = new PieceJoiner(format.separator);
  let out = format.begin(meta);
  for (const member of meta.members) {
    out += format.beginMember(member, meta);
    (segments.get(member.uid) ?? []).forEach((points, k) => {
      out += join.item(format.segment(member, k + 1, points, meta));
    });
    out += join.item(format.endMember(member, meta));
  }
  return out + format.end(meta);
}
