/**
 * GeoJSON (RFC 7946, WGS-84 by definition): a FeatureCollection with the track as one LineString feature (pass 1;
 * only with two or more fixes, as the RFC requires) and one Point feature per fix with its time and readings
 * (pass 2).
 */
import type { ExportPoint } from '../point.js';
import { isoTime } from '../point.js';
import type { ExportMeta, TrackFormat } from './format.js';

const hasLine = (meta: ExportMeta) => meta.count >= 2;

function pointProperties(p: ExportPoint): Record<string, unknown> {
  const props: Record<string, unknown> = {
    uid: p.uid,
    time: isoTime(p.ts),
    ts: p.ts,
    sourceCrs: p.sourceCrs,
  };
  if (p.speed !== undefined) props.speed = p.speed;
  if (p.accuracy !== undefined) props.accuracy = p.accuracy;
  if (p.heading !== undefined) props.heading = p.heading;
  if (p.altitude !== undefined) props.altitude = p.altitude;
  return props;
}

export const geojson: TrackFormat = {
  format: 'geojson',
  extension: 'geojson',
  mediaType: 'application/geo+json',
  passes: 2,
  begin: () => '{"type":"FeatureCollection","features":[\n',
  beginPass: (pass, meta) => {
    if (pass !== 0 || !hasLine(meta)) return '';
    const props = {
      uid: meta.uid,
      label: meta.label ?? null,
      from: isoTime(meta.from),
      to: isoTime(meta.to),
    };
    return `{"type":"Feature","properties":${JSON.stringify(props)},"geometry":{"type":"LineString","coordinates":[\n`;
  },
  point: (p, index, pass, meta) => {
    if (pass === 0) return hasLine(meta) ? `${index === 0 ? '' : ','}[${p.lon},${p.lat}]\n` : '';
    const coordinates = p.altitude === undefined ? [p.lon, p.lat] : [p.lon, p.lat, p.altitude];
    const separator = index === 0 && !hasLine(meta) ? '' : ',';
    return `${separator}{"type":"Feature","properties":${JSON.stringify(pointProperties(p))},"geometry":{"type":"Point","coordinates":${JSON.stringify(coordinates)}}}\n`;
  },
  endPass: (pass, meta) => (pass === 0 && hasLine(meta) ? ']}}\n' : ''),
  end: () => ']}\n',
};
