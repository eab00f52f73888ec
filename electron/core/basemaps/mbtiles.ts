/**
 * Reading MBTiles files (SQLite: `metadata` name/value rows and `tiles` zoom/column/row/blob, spec 1.3) with
 * better-sqlite3. Rows count from the south (TMS) while the web map counts from the north, hence `tmsRow`.
 */
import Database from 'better-sqlite3';
import { CRS_VALUES, type Crs } from '../../../protocol/fix-limits.js';
import type { OfflineMapFormat } from '../../../contract/basemaps/active.js';
import { StationError } from '../../../contract/errors.js';

export interface MbtilesInfo {
  name?: string;
  format: OfflineMapFormat;
  /** From the metadata, when it says (a `crs` row, or an EPSG/GCJ hint in it). */
  crs?: Crs;
  minZoom: number;
  maxZoom: number;
  bounds?: [number, number, number, number];
  attribution?: string;
}

/** XYZ row (north = 0) to the file's TMS row (south = 0). */
export function tmsRow(z: number, y: number): number {
  return 2 ** z - 1 - y;
}

/** A CRS named in metadata, in the spellings files use; undefined when it names none we draw. */
export function crsFromMetadata(value: string | undefined): Crs | undefined {
  if (!value) return undefined;
  const v = value
    .trim()
    .toLowerCase()
    .replace(/[\s_:-]/g, '');
  if ((CRS_VALUES as readonly string[]).includes(v)) return v as Crs;
  if (['wgs84', 'epsg4326', 'epsg3857', 'epsg900913', 'webmercator'].includes(v)) return 'wgs84';
  if (['gcj02', 'gcj', 'mars', '火星坐标'].includes(v)) return 'gcj02';
  if (['bd09', 'baidu', 'bd09ll', 'bd09mc'].includes(v)) return 'bd09';
  return undefined;
}

/** The image type of a tile from its first bytes (a file's `format` row is optional and sometimes wrong). */
export function sniffFormat(data: Buffer): OfflineMapFormat | 'pbf' | undefined {
  if (data.length >= 8 && data.readUInt32BE(0) === 0x89504e47) return 'png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpg';
  if (
    data.length >= 12 &&
    data.toString('ascii', 0, 4) === 'RIFF' &&
    data.toString('ascii', 8, 12) === 'WEBP'
  )
    return 'webp';
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) return 'pbf';
  return undefined;
}

export const CONTENT_TYPE: Record<OfflineMapFormat, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
};

function invalid(message: string): StationError {
  return new StationError('offline_map_invalid', message);
}

function parseBounds(value: string | undefined): [number, number, number, number] | undefined {
  if (!value) return undefined;
  const parts = value.split(',').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return undefined;
  return parts as [number, number, number, number];
}

export function openMbtiles(path: string): Database.Database {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('query_only = ON');
    return db;
  } catch (error) {
    throw invalid(`not a readable SQLite file: ${(error as Error).message}`);
  }
}

/** Check a file is a raster MBTiles set and read what the map needs from it. Throws `offline_map_invalid`. */
export function inspectMbtiles(db: Database.Database): MbtilesInfo {
  let metadata: Map<string, string>;
  let first: { tile_data: Buffer } | undefined;
  let zooms: { lo: number | null; hi: number | null };
  try {
    metadata = new Map(
      (db.prepare('SELECT name, value FROM metadata').all() as { name: string; value: string }[]).map((r) => [
        String(r.name).toLowerCase(),
        String(r.value),
      ]),
    );
    first = db.prepare('SELECT tile_data FROM tiles LIMIT 1').get() as { tile_data: Buffer } | undefined;
    zooms = db
      .prepare('SELECT MIN(zoom_level) AS lo, MAX(zoom_level) AS hi FROM tiles')
      .get() as typeof zooms;
  } catch (error) {
    throw invalid(`not an MBTiles file (no metadata/tiles tables): ${(error as Error).message}`);
  }
  if (!first || zooms.lo === null || zooms.hi === null) throw invalid('the MBTiles file holds no tiles');
  const sniffed = sniffFormat(Buffer.from(first.tile_data));
  if (sniffed === 'pbf' || metadata.get('format') === 'pbf') {
    throw invalid('vector tiles (pbf) are not supported: import a raster PNG, JPEG or WebP set');
  }
  if (!sniffed) throw invalid('tiles are not PNG, JPEG or WebP images');
  const name = metadata.get('name');
  const crs = crsFromMetadata(
    metadata.get('crs') ?? metadata.get('coordinate_system') ?? metadata.get('srs'),
  );
  const bounds = parseBounds(metadata.get('bounds'));
  const attribution = metadata.get('attribution');
  return {
    format: sniffed,
    minZoom: zooms.lo,
    maxZoom: zooms.hi,
    ...(name ? { name: name.slice(0, 120) } : {}),
    ...(crs ? { crs } : {}),
    ...(bounds ? { bounds } : {}),
    // Attribution is shown as text only (Leaflet sets it as HTML): strip markup.
    ...(attribution ? { attribution: attribution.replace(/<[^>]*>/g, '').slice(0, 200) } : {}),
  };
}

/** One tile in XYZ numbering, or undefined when the file has none there. */
export function tileReader(db: Database.Database): (z: number, x: number, y: number) => Buffer | undefined {
  const get = db.prepare(
    'SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?',
  );
  return (z, x, y) => {
    const row = get.get(z, x, tmsRow(z, y)) as { tile_data: Buffer } | undefined;
    return row ? Buffer.from(row.tile_data) : undefined;
  };
}
