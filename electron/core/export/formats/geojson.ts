/**
 * GeoJSON (RFC 7946, WGS-84 by definition): a FeatureCollection with one Feature per segment (a LineString with
 * the fix times in `coordTimes`, as togeojson and Mapbox tools read them; a Point for a one-fix segment, since a
 * LineString needs two positions) and one Point Feature per stop.
 */
import { isoTime } from '../point.js';
import type { ExportPoint } from '../point.js';
import type { TrackFormat } from './format.js';

const optional = (points: readonly ExportPoint[], pick: (p: ExportPoint) => number | undefined) =>
  points.some((p) => pick(p) !== undefined) ? points.map((p) => pick(p) ?? null) : undefined;

export const geojson: TrackFormat = {
  format: 'geojson',
  extension: 'geojson',
  mediaType: 'application/geo+json',
  separator: ',\n',
  begin: () => '{"type":"FeatureCollection","features":[\n',
  beginMember: () => '',
  segment: (member, number, points) => {
    if (points.length === 0) return '';
    const coordinates = points.map((p) =>
      p.altitude === undefined ? [p.lon, p.lat] : [p.lon, p.lat, p.altitude],
    );
    const properties = {
      kind: 'segment',
      uid: member.uid,
      label: member.label ?? null,
      segment: number,
      from: isoTime(points[0]!.ts),
      to: isoTime(points[points.length - 1]!.ts),
      count: points.length,
      coordTimes: points.map((p) => isoTime(p.ts)),
      speeds: optional(points, (p) => p.speed),
      accuracies: optional(points, (p) => p.accuracy),
    };
    const geometry =
      points.length === 1
        ? { type: 'Point', coordinates: coordinates[0] }
        : { type: 'LineString', coordinates };
    return JSON.stringify({ type: 'Feature', properties, geometry });
  },
  endMember: (member) =>
    member.stops
      .map((stop) =>
        JSON.stringify({
          type: 'Feature',
          properties: {
            kind: 'stop',
            uid: member.uid,
            label: member.label ?? null,
            stop: stop.number,
            from: isoTime(stop.fromTs),
            to: isoTime(stop.toTs),
            durationS: Math.round((stop.toTs - stop.fromTs) / 1000),
          },
          geometry: { type: 'Point', coordinates: [stop.lon, stop.lat] },
        }),
      )
      .join(',\n'),
  end: () => '\n]}\n',
};
