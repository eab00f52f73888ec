/**
 * Exports read back by independent readers: gpsbabel for GPX and KML (as other tools would open them), strict
 * JSON and RFC 4180 parsing for GeoJSON and CSV. Point, segment and stop counts and a sampled coordinate's WGS-84
 * value are compared with what the store holds.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertCrs, toWgs84 } from '../../../protocol/crs.js';
import type { Fix } from '../../../protocol/fix.js';
import type { ExportFormat, ExportProgress, ExportRequest } from '../../../contract/station-api.js';
import { openTrackStore } from '../store/index.js';
import type { TrackStore } from '../store/index.js';
import { csvField, CSV_HEADER } from './formats/csv.js';
import { LODESTAR_GPX_NAMESPACE } from './formats/gpx.js';
import { ExportError, writeTrackExport } from './index.js';
import { parseCsv } from './parse-csv.js';

const T0 = Date.UTC(2026, 10, 30, 1, 0, 0); // 09:00 in Beijing
const M = 1 / 111_195;
/**
 * Member 42: 10 min driving east at 10 m/s, a 10-minute stop (with jitter), 5 min driving, a 30-minute dropout,
 * 5 min driving; mixed systems, with altitude and readings. Member 43: one short segment, wgs84, nothing optional.
 */
function member42(): Fix[] {
  const fixes: Fix[] = [];
  let east = 0;
  let t = T0;
  const push = (crs: Fix['crs'], jitter = 0, speed = 10) => {
    const k = fixes.length;
    const at = convertCrs(
      113.93 + (east + jitter * Math.cos(k)) * M * 1.08,
      22.54 + jitter * Math.sin(k) * M,
      'gcj02',
      crs,
    );
    fixes.push({
      uid: '42',
      ts: t,
      lat: at.lat,
      lon: at.lon,
      crs,
      speed,
      accuracy: 8,
      altitude: 20 + (k % 7),
      heading: 90,
    });
  };
  for (let s = 0; s < 600; s++, t += 1000, east += 10) push('gcj02');
  for (let s = 0; s < 600; s++, t += 1000) push('gcj02', 8, 0);
  for (let s = 0; s < 300; s++, t += 1000, east += 10) push('bd09');
  t += 30 * 60_000;
  for (let s = 0; s < 300; s++, t += 1000, east += 10) push('wgs84');
  return fixes;
}
const FIXES_42 = member42();
const FIXES_43: Fix[] = Array.from({ length: 20 }, (_, i) => ({
  uid: '43',
  ts: T0 + 3_600_000 + i * 5_000,
  lat: 22.6 + i * 1e-4,
  lon: 114,
  crs: 'wgs84' as const,
}));
const ALL = [...FIXES_42, ...FIXES_43];
const wgsOf = (f: Fix) => toWgs84(f.lon, f.lat, f.crs);
const byTs = new Map(ALL.map((f) => [`${f.uid}@${f.ts}`, f]));

let dir: string;
let store: TrackStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lodestar-export-'));
  store = openTrackStore({ dir: join(dir, 'data') });
  store.enqueue(ALL);
  await store.flush();
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const DAY: Pick<ExportRequest, 'from' | 'to' | 'utcOffsetMinutes'> = {
  from: T0 - 3_600_000,
  to: T0 + 86_400_000,
  utcOffsetMinutes: 480,
};

async function exportBoth(format: ExportFormat) {
  const path = join(dir, `both.${format}`);
  const events: ExportProgress[] = [];
  const result = await writeTrackExport(
    store,
    { uids: ['42', '43'], ...DAY, format },
    { path, onProgress: (p) => events.push(p), labels: { '42': 'Crew <A> & "B"' }, now: T0 },
  );
  return { path, text: readFileSync(path, 'utf8'), result, events };
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (n) => ['trk', 'trkseg', 'trkpt', 'wpt', 'Placemark', 'Folder', 'when', 'gx:coord'].includes(n),
});

/** gpsbabel's reading of a file, written back as GPX 1.0: tracks, segments, points and waypoints as it saw them. */
function gpsbabel(format: 'gpx' | 'kml', path: string) {
  const out = execFileSync('gpsbabel', ['-i', format, '-f', path, '-o', 'gpx', '-F', '-'], {
    encoding: 'utf8',
  });
  const gpx = xml.parse(out).gpx as {
    trk?: { name: string; trkseg: { trkpt: { '@lat': string; '@lon': string; time: string }[] }[] }[];
    wpt?: { '@lat': string; '@lon': string; name: string }[];
  };
  return { tracks: gpx.trk ?? [], waypoints: gpx.wpt ?? [] };
}

/** The sampled point must be the store's fix at that time, in WGS-84, to 1e-7 degrees (about 1 cm). */
function expectStored(uid: string, iso: string, lat: number, lon: number) {
  const fix = byTs.get(`${uid}@${Date.parse(iso)}`);
  expect(fix, `${uid} has a fix at ${iso}`).toBeDefined();
  const wgs = wgsOf(fix!);
  expect(lat).toBeCloseTo(wgs.lat, 7);
  expect(lon).toBeCloseTo(wgs.lon, 7);
}

describe('GPX 1.1 read by gpsbabel', () => {
  it('has one trk per member, one trkseg per segment, every fix, stops as waypoints', async () => {
    const { path, text, result, events } = await exportBoth('gpx');
    expect(result.count).toBe(ALL.length);
    expect(events.at(-1)).toMatchObject({
      written: ALL.length,
      total: ALL.length,
      done: true,
      uids: ['42', '43'],
    });
    const { tracks, waypoints } = gpsbabel('gpx', path);
    expect(tracks.map((t) => t.name)).toEqual(['Crew <A> & "B" (42)', '43']);
    expect(tracks[0]!.trkseg.map((s) => s.trkpt.length)).toEqual([1500, 300]);
    expect(tracks[1]!.trkseg.map((s) => s.trkpt.length)).toEqual([20]);
    expect(waypoints).toHaveLength(1);
    expect(waypoints[0]!.name).toContain('stop 1');
    for (const [t, s, p] of [
      [0, 0, 0],
      [0, 0, 1234],
      [0, 1, 299],
      [1, 0, 7],
    ] as const) {
      const point = tracks[t]!.trkseg[s]!.trkpt[p]!;
      expectStored(t === 0 ? '42' : '43', point.time, Number(point['@lat']), Number(point['@lon']));
    }
    // Speed and accuracy in the documented extension, inside the schema's order (ele, time, extensions).
    expect(text).toContain(`xmlns:lodestar="${LODESTAR_GPX_NAMESPACE}"`);
    expect(text).toMatch(
      /<trkpt [^>]+><ele>[\d.]+<\/ele><time>[^<]+<\/time><extensions><lodestar:speed>10<\/lodestar:speed><lodestar:accuracy>8<\/lodestar:accuracy><lodestar:heading>90<\/lodestar:heading><\/extensions><\/trkpt>/,
    );
    expect(text.indexOf('<wpt ')).toBeLessThan(text.indexOf('<trk>'));
  });
});

describe('KML read by gpsbabel', () => {
  it('has a gx:Track per segment with a time per point and stops as placemarks', async () => {
    const { path, text } = await exportBoth('kml');
    const { tracks, waypoints } = gpsbabel('kml', path);
    expect(tracks.map((t) => t.trkseg.reduce((n, s) => n + s.trkpt.length, 0))).toEqual([1500, 300, 20]);
    for (const track of tracks)
      for (const point of track.trkseg.flatMap((s) => s.trkpt)) expect(point.time).toMatch(/^2026-11-30T/);
    const sample = tracks[1]!.trkseg[0]!.trkpt[150]!;
    expectStored('42', sample.time, Number(sample['@lat']), Number(sample['@lon']));
    expect(waypoints.map((w) => w.name)).toEqual(['Crew <A> & "B" (42) stop 1']);
    const doc = xml.parse(text).kml.Document;
    const tracksInKml = (
      doc.Folder as { Placemark: { 'gx:Track'?: { when: string[]; 'gx:coord': string[] } }[] }[]
    )
      .flatMap((f) => f.Placemark)
      .filter((p) => p['gx:Track']);
    expect(tracksInKml.map((p) => [p['gx:Track']!.when.length, p['gx:Track']!['gx:coord'].length])).toEqual([
      [1500, 1500],
      [300, 300],
      [20, 20],
    ]);
  });
});

describe('GeoJSON, parsed strictly', () => {
  it('has a Feature per segment with its times, and stops as Points', async () => {
    const { text } = await exportBoth('geojson');
    const fc = JSON.parse(text) as {
      type: string;
      features: {
        type: string;
        geometry: { type: string; coordinates: number[][] | number[] };
        properties: Record<string, unknown>;
      }[];
    };
    expect(fc.type).toBe('FeatureCollection');
    const segments = fc.features.filter((f) => f.properties.kind === 'segment');
    const stops = fc.features.filter((f) => f.properties.kind === 'stop');
    expect(
      segments.map((f) => [f.properties.uid, f.properties.segment, f.geometry.type, f.properties.count]),
    ).toEqual([
      ['42', 1, 'LineString', 1500],
      ['42', 2, 'LineString', 300],
      ['43', 1, 'LineString', 20],
    ]);
    for (const f of segments) {
      const coords = f.geometry.coordinates as number[][];
      const times = f.properties.coordTimes as string[];
      expect(times).toHaveLength(coords.length);
      expect(f.properties.from).toBe(times[0]);
      expect(f.properties.to).toBe(times.at(-1));
      const k = Math.floor(coords.length / 3);
      expectStored(f.properties.uid as string, times[k]!, coords[k]![1]!, coords[k]![0]!);
    }
    expect(stops).toHaveLength(1);
    expect(stops[0]!.geometry.type).toBe('Point');
    const duration = stops[0]!.properties.durationS as number;
    expect(duration).toBeGreaterThan(9 * 60);
    expect(duration).toBeLessThan(11 * 60);
  });
});

describe('CSV, parsed strictly', () => {
  it('has one row per fix with local ISO time, WGS-84, speed, accuracy and segment', async () => {
    const { text } = await exportBoth('csv');
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(CSV_HEADER);
    expect(rows).toHaveLength(ALL.length);
    const records = rows.map((r) => Object.fromEntries(header!.map((h, k) => [h, r[k]!])));
    for (const rec of records) expect(rec.time).toMatch(/^2026-11-30T\d\d:\d\d:\d\d\.\d{3}\+08:00$/);
    expect(records[0]).toMatchObject({
      member: '42',
      label: 'Crew <A> & "B"',
      time: '2026-11-30T09:00:00.000+08:00',
      speed: '10',
      accuracy: '8',
      segment: '1',
    });
    expect(records.filter((r) => r.member === '42' && r.segment === '2')).toHaveLength(300);
    for (const k of [0, 700, 1600, ALL.length - 1]) {
      const r = records[k]!;
      expect(Date.parse(r.time!)).toBe(Number(r.ts));
      expectStored(r.member!, new Date(Number(r.ts)).toISOString(), Number(r.lat), Number(r.lon));
    }
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['-1+2', "'-1+2"],
    ['@cmd', "'@cmd"],
    [3.25, '3.25'],
    [Number.NaN, ''],
    [undefined, ''],
  ] as const)('csvField(%j) = %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
    if (typeof value === 'string')
      expect(parseCsv(`${expected}\r\n`)[0]![0]).toBe(/^[=+\-@]/.test(value) ? `'${value}` : value);
  });
});

describe('writing', () => {
  it('is valid for a member without fixes', async () => {
    for (const format of ['gpx', 'kml', 'geojson', 'csv'] as const) {
      const path = join(dir, `nobody.${format}`);
      const result = await writeTrackExport(store, { uids: ['nobody'], ...DAY, format }, { path });
      expect(result.count).toBe(0);
      if (format === 'geojson') expect(JSON.parse(readFileSync(path, 'utf8')).features).toEqual([]);
      if (format === 'gpx' || format === 'kml')
        expect(gpsbabel(format, path).tracks.flatMap((t) => t.trkseg ?? [])).toEqual([]);
    }
  });

  it('fails with a code and a final progress event, leaving neither a partial nor a final file', async () => {
    const path = join(dir, 'no-such-folder', 'x.gpx');
    const events: ExportProgress[] = [];
    const error = await writeTrackExport(
      store,
      { uids: ['42'], ...DAY, format: 'gpx' },
      { path, onProgress: (p) => events.push(p) },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportError);
    expect((error as ExportError).code).toBe('EXPORT_WRITE_FAILED');
    expect(events.at(-1)).toMatchObject({ done: true, error: expect.stringContaining('failed') });
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it.each([
    [{ uids: ['a b'], from: 0, to: 1, format: 'gpx' }],
    [{ uids: [], from: 0, to: 1, format: 'gpx' }],
    [{ uids: ['42', '42'], from: 0, to: 1, format: 'gpx' }],
    [{ uids: ['42'], from: 2, to: 1, format: 'gpx' }],
    [{ uids: ['42'], from: 0, to: 1, format: 'shp' }],
  ])('refuses a bad request %j with EXPORT_BAD_REQUEST', async (request) => {
    const error = await writeTrackExport(store, request as never, { path: join(dir, 'bad') }).catch(
      (e: unknown) => e,
    );
    expect((error as ExportError).code).toBe('EXPORT_BAD_REQUEST');
  });
});
