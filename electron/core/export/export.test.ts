import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bd09ToWgs84, gcj02ToWgs84 } from '../../../protocol/crs.js';
import type { Fix } from '../../../protocol/fix.js';
import type { ExportFormat, ExportProgress } from '../../../contract/station-api.js';
import { openTrackStore } from '../store/index.js';
import type { TrackStore } from '../store/index.js';
import { haversineM } from '../../../protocol/geodesy.js';
import { csvField, CSV_HEADER } from './formats/csv.js';
import { ExportError, exportFileName, writeTrackExport } from './index.js';

const T0 = Date.UTC(2026, 10, 27, 8, 0, 0);
// A member in Beijing reporting in the three systems; point 1 carries altitude and readings.
const FIXES: Fix[] = [
  { uid: 'm1', ts: T0, lat: 39.915, lon: 116.404, crs: 'gcj02' },
  {
    uid: 'm1',
    ts: T0 + 1000,
    lat: 39.916,
    lon: 116.405,
    crs: 'gcj02',
    altitude: 52.5,
    speed: 1.5,
    accuracy: 8,
    heading: 45,
  },
  { uid: 'm1', ts: T0 + 2000, lat: 39.9215, lon: 116.4115, crs: 'bd09' },
  { uid: 'm1', ts: T0 + 3000, lat: 39.9142, lon: 116.3974, crs: 'wgs84' },
];
const expectedWgs = FIXES.map((f) =>
  f.crs === 'gcj02'
    ? gcj02ToWgs84(f.lon, f.lat)
    : f.crs === 'bd09'
      ? bd09ToWgs84(f.lon, f.lat)
      : { lon: f.lon, lat: f.lat },
);

let dir: string;
let store: TrackStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lodestar-export-'));
  store = openTrackStore({ dir: join(dir, 'data') });
  store.enqueue(FIXES);
  store.enqueue(
    Array.from({ length: 20_000 }, (_, i) => ({
      uid: 'big',
      ts: T0 + i * 1000,
      lat: 31 + i * 1e-6,
      lon: 121,
      crs: 'gcj02' as const,
    })),
  );
  store.enqueue({ uid: 'single', ts: T0, lat: 30, lon: 120, crs: 'wgs84' });
  await store.flush();
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function exportM1(format: ExportFormat, label?: string) {
  const path = join(dir, `m1.${format}`);
  const events: ExportProgress[] = [];
  const result = await writeTrackExport(
    store,
    { uid: 'm1', from: T0, to: T0 + 10_000, format },
    { path, onProgress: (p) => events.push(p), now: T0 + 60_000, ...(label !== undefined && { label }) },
  );
  return { path, text: readFileSync(path, 'utf8'), result, events };
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (n) => ['trkpt', 'Placemark'].includes(n),
});
const near = (lat: number, lon: number, i: number) => {
  expect(lat).toBeCloseTo(expectedWgs[i]!.lat, 7);
  expect(lon).toBeCloseTo(expectedWgs[i]!.lon, 7);
};

describe('coordinates', () => {
  it('converts a GCJ-02 fix by the expected few hundred metres', () => {
    const w = expectedWgs[0]!;
    const moved = haversineM(39.915, 116.404, w.lat, w.lon);
    expect(moved).toBeGreaterThan(300);
    expect(moved).toBeLessThan(800);
  });
});

describe('GPX 1.1', () => {
  it('follows the schema rules and carries converted coordinates', async () => {
    const { text, result, events } = await exportM1('gpx', 'Crew <A> & "B"');
    const doc = xml.parse(text);
    const gpx = doc.gpx;
    expect(gpx['@xmlns']).toBe('http://www.topografix.com/GPX/1/1');
    expect(gpx['@version']).toBe('1.1');
    expect(gpx['@creator']).toBe('Lodestar');
    expect(gpx.metadata.name).toBe('Crew <A> & "B" (m1)');
    // Element order is part of the schema: metadata before trk, ele before time in trkpt.
    expect(text.indexOf('<metadata>')).toBeLessThan(text.indexOf('<trk>'));
    const points = gpx.trk.trkseg.trkpt as Record<string, string>[];
    expect(points).toHaveLength(4);
    points.forEach((p, i) => {
      near(Number(p['@lat']), Number(p['@lon']), i);
      expect(p.time).toBe(new Date(FIXES[i]!.ts).toISOString());
      expect(p.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });
    expect(points[1]!.ele).toBe('52.5');
    expect(text).toMatch(/<trkpt [^>]+><ele>52.5<\/ele><time>/);
    const allowed = new Set(['ele', 'time', '@lat', '@lon']);
    for (const p of points) expect(Object.keys(p).every((k) => allowed.has(k))).toBe(true);
    expect(result.count).toBe(4);
    expect(events.at(-1)).toMatchObject({ written: 4, total: 4, done: true, format: 'gpx', uid: 'm1' });
  });
});

describe('KML 2.2', () => {
  it('has a LineString of lon,lat[,alt] and a timestamped Placemark per fix', async () => {
    const { text } = await exportM1('kml');
    const doc = xml.parse(text).kml;
    expect(doc['@xmlns']).toBe('http://www.opengis.net/kml/2.2');
    const [line, ...rest] = doc.Document.Placemark as Record<string, unknown>[];
    expect(rest).toHaveLength(0);
    const coords = String((line!.LineString as { coordinates: string }).coordinates)
      .trim()
      .split(/\s+/);
    expect(coords).toHaveLength(4);
    coords.forEach((c, i) => {
      const [lon, lat, alt] = c.split(',').map(Number);
      near(lat!, lon!, i);
      if (i === 1) expect(alt).toBe(52.5);
    });
    const points = doc.Document.Folder.Placemark as {
      TimeStamp: { when: string };
      Point: { coordinates: string };
    }[];
    expect(points).toHaveLength(4);
    points.forEach((p, i) => {
      expect(p.TimeStamp.when).toBe(new Date(FIXES[i]!.ts).toISOString());
      const [lon, lat] = p.Point.coordinates.split(',').map(Number);
      near(lat!, lon!, i);
    });
  });

  it('writes only points for a single fix (a LineString needs two)', async () => {
    const path = join(dir, 'single.kml');
    await writeTrackExport(store, { uid: 'single', from: 0, to: T0 * 2, format: 'kml' }, { path });
    const doc = xml.parse(readFileSync(path, 'utf8')).kml.Document;
    expect(doc.Placemark).toBeUndefined();
    expect(doc.Folder.Placemark).toHaveLength(1);
  });
});

describe('GeoJSON', () => {
  it('is a FeatureCollection with a LineString and Point features with times', async () => {
    const { text } = await exportM1('geojson');
    const fc = JSON.parse(text);
    expect(fc.type).toBe('FeatureCollection');
    const [line, ...points] = fc.features;
    expect(line.geometry.type).toBe('LineString');
    expect(line.properties.uid).toBe('m1');
    line.geometry.coordinates.forEach(([lon, lat]: number[], i: number) => near(lat!, lon!, i));
    expect(points).toHaveLength(4);
    points.forEach(
      (
        f: { geometry: { type: string; coordinates: number[] }; properties: Record<string, unknown> },
        i: number,
      ) => {
        expect(f.geometry.type).toBe('Point');
        near(f.geometry.coordinates[1]!, f.geometry.coordinates[0]!, i);
        expect(f.properties.time).toBe(new Date(FIXES[i]!.ts).toISOString());
        expect(f.properties.sourceCrs).toBe(FIXES[i]!.crs);
      },
    );
    expect(points[1].geometry.coordinates[2]).toBe(52.5);
    expect(points[1].properties).toMatchObject({ speed: 1.5, accuracy: 8, heading: 45 });
  });

  it('is valid JSON for one fix and for none', async () => {
    for (const [uid, features] of [
      ['single', 1],
      ['nobody', 0],
    ] as const) {
      const path = join(dir, `${uid}.geojson`);
      await writeTrackExport(store, { uid, from: 0, to: T0 * 2, format: 'geojson' }, { path });
      expect(JSON.parse(readFileSync(path, 'utf8')).features).toHaveLength(features);
    }
  });
});

/** RFC 4180 reader: quoted fields, doubled quotes, CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}

describe('CSV', () => {
  it('has a header and one converted row per fix', async () => {
    const { text } = await exportM1('csv');
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(CSV_HEADER);
    expect(rows).toHaveLength(4);
    rows.forEach((r, i) => {
      const rec = Object.fromEntries(header!.map((h, k) => [h, r[k]]));
      near(Number(rec.lat), Number(rec.lon), i);
      expect(Number(rec.ts)).toBe(FIXES[i]!.ts);
      expect(rec.source_crs).toBe(FIXES[i]!.crs);
    });
    expect(rows[1]!.slice(5, 9)).toEqual(['52.5', '1.5', '8', '45']);
    expect(rows[0]!.slice(5, 9)).toEqual(['', '', '', '']);
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

describe('streaming', () => {
  it('reports growing progress for a large range and leaves no temporary file', async () => {
    const path = join(dir, 'big.geojson');
    const events: ExportProgress[] = [];
    const result = await writeTrackExport(
      store,
      { uid: 'big', from: 0, to: T0 * 2, format: 'geojson' },
      { path, chunkSize: 1000, onProgress: (p) => events.push(p), exportId: 'e-big' },
    );
    expect(result).toMatchObject({ exportId: 'e-big', count: 20_000, path });
    expect(result.bytes).toBeGreaterThan(1_000_000);
    expect(events.length).toBeGreaterThan(20);
    for (let i = 1; i < events.length; i++)
      expect(events[i]!.written).toBeGreaterThanOrEqual(events[i - 1]!.written);
    expect(events.at(-1)).toMatchObject({ written: 20_000, total: 20_000, done: true });
    expect(events.filter((e) => e.done)).toHaveLength(1);
    expect(JSON.parse(readFileSync(path, 'utf8')).features).toHaveLength(20_001);
    expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it('fails with a code and a final progress event, leaving neither a partial nor a final file', async () => {
    const path = join(dir, 'no-such-folder', 'x.gpx');
    const events: ExportProgress[] = [];
    const error = await writeTrackExport(
      store,
      { uid: 'm1', from: 0, to: T0 * 2, format: 'gpx' },
      { path, onProgress: (p) => events.push(p) },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportError);
    expect((error as ExportError).code).toBe('EXPORT_WRITE_FAILED');
    expect(events.at(-1)).toMatchObject({ done: true, error: expect.stringContaining('failed') });
    expect(existsSync(path)).toBe(false);
  });

  it.each([
    [{ uid: 'a b', from: 0, to: 1, format: 'gpx' }],
    [{ uid: 'm1', from: 2, to: 1, format: 'gpx' }],
    [{ uid: 'm1', from: 0, to: 1, format: 'shp' }],
  ])('refuses a bad request %j with EXPORT_BAD_REQUEST', async (request) => {
    const error = await writeTrackExport(store, request as never, { path: join(dir, 'bad') }).catch(
      (e: unknown) => e,
    );
    expect((error as ExportError).code).toBe('EXPORT_BAD_REQUEST');
  });

  it('names files safely', () => {
    expect(
      exportFileName({ uid: 'a.b:c', from: 0, to: 1, format: 'geojson' }, Date.UTC(2026, 10, 27, 3, 15)),
    ).toBe('lodestar-a_b_c-20261127T0315.geojson');
  });
});
