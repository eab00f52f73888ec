/**
 * KML 2.2: one Placemark with the track as a LineString (pass 1), then a Folder with one timestamped Placemark per
 * fix (pass 2), so Google Earth's time slider works. Coordinates are `lon,lat[,alt]`. A LineString needs two
 * points: with fewer fixes only the points are written.
 */
import { degrees, isoTime } from '../point.js';
import type { ExportPoint } from '../point.js';
import type { ExportMeta, TrackFormat } from './format.js';
import { escapeXml } from './xml.js';

export const KML_NAMESPACE = 'http://www.opengis.net/kml/2.2';

const coordinates = (p: ExportPoint) =>
  `${degrees(p.lon)},${degrees(p.lat)}${p.altitude === undefined ? '' : `,${p.altitude}`}`;
const hasLine = (meta: ExportMeta) => meta.count >= 2;
const name = (meta: ExportMeta) => escapeXml(meta.label ? `${meta.label} (${meta.uid})` : meta.uid);

export const kml: TrackFormat = {
  format: 'kml',
  extension: 'kml',
  mediaType: 'application/vnd.google-earth.kml+xml',
  passes: 2,
  begin: (meta) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="${KML_NAMESPACE}">\n<Document><name>${name(meta)}</name>\n`,
  beginPass: (pass, meta) => {
    if (pass === 1) return '<Folder><name>Fixes</name>\n';
    if (!hasLine(meta)) return '';
    return (
      `<Placemark><name>${name(meta)}</name>` +
      `<TimeSpan><begin>${isoTime(meta.from)}</begin><end>${isoTime(meta.to)}</end></TimeSpan>` +
      '<LineString><tessellate>1</tessellate><coordinates>\n'
    );
  },
  point: (p, _index, pass, meta) => {
    if (pass === 0) return hasLine(meta) ? `${coordinates(p)}\n` : '';
    return (
      `<Placemark><TimeStamp><when>${isoTime(p.ts)}</when></TimeStamp>` +
      `<Point><coordinates>${coordinates(p)}</coordinates></Point></Placemark>\n`
    );
  },
  endPass: (pass, meta) => {
    if (pass === 1) return '</Folder>\n';
    return hasLine(meta) ? '</coordinates></LineString></Placemark>\n' : '';
  },
  end: () => '</Document>\n</kml>\n',
};
