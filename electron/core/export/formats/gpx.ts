/**
 * GPX 1.1 (http://www.topografix.com/GPX/1/1/gpx.xsd): one `trk` per member, one `trkseg` per segment (a gap
 * ends a segment, so no reader draws a line across it), stops as `wpt` (the schema puts waypoints before tracks).
 * Each point's speed, accuracy and heading go in the documented Lodestar extension (docs/exports.md): GPX 1.1 has
 * no element for them. Element order is part of the schema: in `trkpt`, `ele`, `time`, then `extensions`.
 */
import { degrees, isoTime, wrapLon } from '../point.js';
import type { ExportPoint } from '../point.js';
import { memberName, type ExportMeta, type TrackFormat } from './format.js';
import { escapeXml } from './xml.js';

export const GPX_NAMESPACE = 'http://www.topografix.com/GPX/1/1';
export const LODESTAR_GPX_NAMESPACE = 'urn:lodestar:gpx:fix:1';

function extensions(p: ExportPoint): string {
  let inner = '';
  if (p.speed !== undefined) inner += `<lodestar:speed>${p.speed}</lodestar:speed>`;
  if (p.accuracy !== undefined) inner += `<lodestar:accuracy>${p.accuracy}</lodestar:accuracy>`;
  if (p.heading !== undefined) inner += `<lodestar:heading>${p.heading}</lodestar:heading>`;
  return inner ? `<extensions>${inner}</extensions>` : '';
}

function stopWaypoints(meta: ExportMeta): string {
  let out = '';
  for (const member of meta.members) {
    for (const stop of member.stops) {
      const minutes = Math.round((stop.toTs - stop.fromTs) / 60_000);
      out +=
        `<wpt lat="${degrees(stop.lat)}" lon="${degrees(wrapLon(stop.lon))}"><time>${isoTime(stop.fromTs)}</time>` +
        `<name>${escapeXml(`${memberName(member)} stop ${stop.number}`)}</name>` +
        `<desc>${isoTime(stop.fromTs)} - ${isoTime(stop.toTs)}, ${minutes} min</desc><type>stop</type></wpt>\n`;
    }
  }
  return out;
}

export const gpx: TrackFormat = {
  format: 'gpx',
  extension: 'gpx',
  mediaType: 'application/gpx+xml',
  separator: '',
  begin: (meta) =>
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<gpx version="1.1" creator="Lodestar" xmlns="${GPX_NAMESPACE}" xmlns:lodestar="${LODESTAR_GPX_NAMESPACE}" ` +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    `xsi:schemaLocation="${GPX_NAMESPACE} ${GPX_NAMESPACE}/gpx.xsd">\n` +
    `<metadata><name>${escapeXml(meta.members.map(memberName).join(', '))}</name>` +
    `<time>${isoTime(meta.createdAt)}</time></metadata>\n` +
    stopWaypoints(meta),
  beginMember: (member) => `<trk><name>${escapeXml(memberName(member))}</name>\n`,
  segment: (_member, _number, points) => {
    let out = '<trkseg>\n';
    for (const p of points) {
      const ele = p.altitude === undefined ? '' : `<ele>${p.altitude}</ele>`;
      out += `<trkpt lat="${degrees(p.lat)}" lon="${degrees(wrapLon(p.lon))}">${ele}<time>${isoTime(p.ts)}</time>${extensions(p)}</trkpt>\n`;
    }
    return `${out}</trkseg>\n`;
  },
  endMember: () => '</trk>\n',
  end: () => '</gpx>\n',
};
