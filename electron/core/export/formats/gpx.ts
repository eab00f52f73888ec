/**
 * GPX 1.1 (http://www.topografix.com/GPX/1/1/gpx.xsd). The schema is a strict sequence: `metadata` before
 * `trk`; inside `trkpt`, `ele` before `time`. Longitudes are [-180, 180): 180 is written as -180.
 */
import { degrees, isoTime } from '../point.js';
import type { ExportMeta, TrackFormat } from './format.js';
import { escapeXml } from './xml.js';

export const GPX_NAMESPACE = 'http://www.topografix.com/GPX/1/1';

const trackName = (meta: ExportMeta) => escapeXml(meta.label ? `${meta.label} (${meta.uid})` : meta.uid);

export const gpx: TrackFormat = {
  format: 'gpx',
  extension: 'gpx',
  mediaType: 'application/gpx+xml',
  passes: 1,
  begin: (meta) =>
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<gpx version="1.1" creator="Lodestar" xmlns="${GPX_NAMESPACE}" ` +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    `xsi:schemaLocation="${GPX_NAMESPACE} ${GPX_NAMESPACE}/gpx.xsd">\n` +
    `<metadata><name>${trackName(meta)}</name><time>${isoTime(meta.createdAt)}</time></metadata>\n` +
    `<trk><name>${trackName(meta)}</name><trkseg>\n`,
  beginPass: () => '',
  point: (p) => {
    const lon = p.lon >= 180 ? p.lon - 360 : p.lon;
    const ele = p.altitude === undefined ? '' : `<ele>${p.altitude}</ele>`;
    return `<trkpt lat="${degrees(p.lat)}" lon="${degrees(lon)}">${ele}<time>${isoTime(p.ts)}</time></trkpt>\n`;
  },
  endPass: () => '',
  end: () => '</trkseg></trk>\n</gpx>\n',
};
