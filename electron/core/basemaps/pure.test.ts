import { describe, expect, it } from 'vitest';
import { crsFromMetadata, sniffFormat, tmsRow } from './mbtiles.js';
import { fillTemplate, parseTilePath } from './tile-path.js';
import { encodePng } from '../../../test/support/tiles.js';

describe('tile paths', () => {
  it.each([
    ['offline/abcdefgh1234/12/3372/1552', { kind: 'offline', id: 'abcdefgh1234', z: 12, x: 3372, y: 1552 }],
    ['offline/abcdefgh1234/0/0/0.png', { kind: 'offline', id: 'abcdefgh1234', z: 0, x: 0, y: 0 }],
    ['cache/osm/3/7/7', { kind: 'cache', layer: 'osm', z: 3, x: 7, y: 7 }],
    [
      'cache/tianditu-vector.labels/1/1/0',
      { kind: 'cache', layer: 'tianditu-vector.labels', z: 1, x: 1, y: 0 },
    ],
    ['cache/osm/3/8/0', undefined], // x past the zoom's width
    ['cache/osm/25/0/0', undefined],
    ['offline/../../etc/1/1/1', undefined],
    ['offline/short/1/1/1', undefined],
    ['cache/OSM!/1/1/1', undefined],
    ['elsewhere/osm/1/1/1', undefined],
    ['cache/osm/1/1', undefined],
    ['cache/osm/-1/1/1', undefined],
  ])('%s', (path, expected) => {
    expect(parseTilePath(path)).toEqual(expected);
  });

  it('fills a template with a subdomain chosen by the tile, so one tile always comes from one host', () => {
    const t = 'https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}';
    expect(fillTemplate(t, '1234', 5, 1, 2)).toBe('https://webrd04.is.autonavi.com/appmaptile?x=1&y=2&z=5');
    expect(fillTemplate('http://h/{z}/{x}/{y}.png', '', 1, 0, 1)).toBe('http://h/1/0/1.png');
  });
});

describe('MBTiles details', () => {
  it.each([
    [0, 0, 0],
    [1, 0, 1],
    [1, 1, 0],
    [12, 1552, 2543],
  ])('zoom %i row %i (XYZ) is TMS row %i', (z, y, row) => {
    expect(tmsRow(z, y)).toBe(row);
  });

  it.each([
    ['gcj02', 'gcj02'],
    ['GCJ-02', 'gcj02'],
    ['WGS84', 'wgs84'],
    ['EPSG:3857', 'wgs84'],
    ['epsg4326', 'wgs84'],
    ['BD-09', 'bd09'],
    ['mercator-ish', undefined],
    [undefined, undefined],
  ])('crs metadata %s → %s', (value, crs) => {
    expect(crsFromMetadata(value)).toBe(crs);
  });

  it.each([
    ['png', encodePng(1, 1, () => [0, 0, 0])],
    ['jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0])],
    ['webp', Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1')],
    ['pbf', Buffer.from([0x1f, 0x8b, 8, 0])],
    [undefined, Buffer.from('hello world')],
  ])('sniffs %s', (format, data) => {
    expect(sniffFormat(data)).toBe(format);
  });
});
