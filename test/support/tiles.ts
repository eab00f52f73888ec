/**
 * Tiles for tests, drawn here: a small PNG encoder (node:zlib; pngjs is not a dependency and a test helper needs
 * only RGB, filter 0), "street" tiles with a line at a known longitude/latitude, MBTiles files written with
 * better-sqlite3, and a local HTTP tile server standing in for an online provider.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';
import Database from 'better-sqlite3';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export type Rgb = [number, number, number];

/** A PNG of `width`×`height` RGB pixels, `pixel(x, y)` giving each colour. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgb): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Global Web-Mercator pixel of a lon/lat at zoom z (256-pixel tiles). */
export function worldPixel(lon: number, lat: number, z: number): { x: number; y: number } {
  const scale = 256 * 2 ** z;
  const sin = Math.sin((lat * Math.PI) / 180);
  return {
    x: ((lon + 180) / 360) * scale,
    y: (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale,
  };
}

export const PAPER: Rgb = [238, 236, 226];
export const STREET: Rgb = [200, 30, 30];

/**
 * A tile of "streets": a vertical line along `lon` and a horizontal one along `lat` (in the tile set's own CRS),
 * each 3 pixels wide, on plain paper. Tiles away from the crossing are paper, or carry one of the lines.
 */
export function streetTile(z: number, x: number, y: number, street: { lon: number; lat: number }): Buffer {
  const at = worldPixel(street.lon, street.lat, z);
  const cx = at.x - x * 256;
  const cy = at.y - y * 256;
  return encodePng(256, 256, (px, py) =>
    Math.abs(px + 0.5 - cx) <= 1.5 || Math.abs(py + 0.5 - cy) <= 1.5 ? STREET : PAPER,
  );
}

export function solidTile(color: Rgb): Buffer {
  return encodePng(256, 256, () => color);
}

/** An MBTiles file with the given tiles (XYZ numbering; written with TMS rows as the spec says). */
export function writeMbtiles(
  path: string,
  metadata: Record<string, string>,
  tiles: { z: number; x: number; y: number; data: Buffer }[],
): void {
  const db = new Database(path);
  db.exec(`CREATE TABLE metadata (name TEXT, value TEXT);
    CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
    CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);`);
  const meta = db.prepare('INSERT INTO metadata (name, value) VALUES (?, ?)');
  const tile = db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const [name, value] of Object.entries(metadata)) meta.run(name, value);
    for (const t of tiles) tile.run(t.z, t.x, 2 ** t.z - 1 - t.y, t.data);
  })();
  db.close();
}

/** Every tile of zooms [minZ, maxZ] covering a small box around a point. */
export function tilesAround(
  lon: number,
  lat: number,
  minZ: number,
  maxZ: number,
  radiusTiles = 2,
): { z: number; x: number; y: number }[] {
  const out: { z: number; x: number; y: number }[] = [];
  for (let z = minZ; z <= maxZ; z++) {
    const p = worldPixel(lon, lat, z);
    const tx = Math.floor(p.x / 256);
    const ty = Math.floor(p.y / 256);
    for (let x = tx - radiusTiles; x <= tx + radiusTiles; x++)
      for (let y = ty - radiusTiles; y <= ty + radiusTiles; y++) out.push({ z, x, y });
  }
  return out;
}

export interface TileServer {
  url: string;
  /** Tile requests answered so far, by path. */
  requests: string[];
  /** While false the server answers 503 (an unreachable provider, as the station sees it). */
  setUp(up: boolean): void;
  close(): Promise<void>;
}

/** A provider at http://127.0.0.1:<port>/{z}/{x}/{y}.png drawing `tile(z, x, y)`. */
export async function startTileServer(
  tile: (z: number, x: number, y: number) => Buffer,
): Promise<TileServer> {
  const requests: string[] = [];
  let up = true;
  const server: Server = createServer((req, res) => {
    const m = /^\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(req.url ?? '');
    requests.push(req.url ?? '');
    if (!up) {
      res.writeHead(503).end('down');
      return;
    }
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const data = tile(Number(m[1]), Number(m[2]), Number(m[3]));
    res.writeHead(200, {
      'content-type': 'image/png',
      'content-length': data.length,
      'access-control-allow-origin': '*',
    });
    res.end(data);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setUp(next) {
      up = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
