/**
 * KML 2.2 with Google's gx extension: per member a Folder with one Placemark per segment holding a `gx:Track`
 * (every `when`, then every `gx:coord`, as the schema orders them), so Google Earth's time slider plays it and no
 * line crosses a gap; the member's stops as point Placemarks with their TimeSpan.
 */
import { degrees, isoTime } from '../point.js';
import { memberName, type TrackFormat } from './format.js';
import { escapeXml } from './xml.js';

export const KML_NAMESPACE = 'http://www.opengis.net/kml/2.2';
export const GX_NAMESPACE = 'http://www.google.com/kml/ext/2.2';

export const kml: TrackFormat = {
  format: 'kml',
  extension: 'kml',
  mediaType: 'application/vnd.google-earth.kml+xml',
  separator: '',
  begin: (meta) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="${KML_NAMESPACE}" xmlns:gx="${GX_NAMESPACE}">\n` +
    `<Document><name>${escapeXml(meta.members.map(memberName).join(', '))}</name>\n`,
  beginMember: (member) => `<Folder><name>${escapeXml(memberName(member))}</name>\n`,
  segment: (member, number, points) => {
    if (points.length === 0) return '';
    let when = '';
    let coords = '';
    for (const p of points) {
      when += `<when>${isoTime(p.ts)}</when>\n`;
      coords += `<gx:coord>${degrees(p.lon)} ${degrees(p.lat)} ${p.altitude ?? 0}</gx:coord>\n`;
    }
    return (
      `<Placemark><name>${escapeXml(`${memberName(member)} segment ${number}`)}</name>` +
      `<TimeSpan><begin>${isoTime(points[0]!.ts)}</begin><end>${isoTime(points[points.length - 1]!.ts)}</end></TimeSpan>\n` +
      `<gx:Track>\n${when}${coords}</gx:Track></Placemark>\n`
    );
  },
  endMember: (member) => {
    let out = '';
    for (const stop of member.stops) {
      out +=
        `<Placemark><name>${escapeXml(`${memberName(member)} stop ${stop.number}`)}</name>` +
        `<TimeSpan><begin>${isoTime(stop.fromTs)}</begin><end>${isoTime(stop.toTs)}</end></TimeSpan>` +
        `<Point><coordinates>${degrees(stop.lon)},${degrees(stop.lat)}</coordinates></Point></Placemark>\n`;
    }
    return `${out}</Folder>\n`;
  },
  end: () => '</Document>\n</kml>\n',
};
