/**
 * Offline maps, the tile cache and the tile service on real SQLite files and a real local HTTP tile server.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BasemapSettingsInput } from '../../../contract/basemaps/active.js';
import { solidTile, startTileServer, writeMbtiles, type TileServer } from '../../../test/support/tiles.js';
import { OfflineMapLibrary } from './offline-maps.js';
import { TileCache } from './tile-cache.js';
import { createTileService } from './tile-service.js';

const logger = pino({ level: 'silent' });
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lodestar-basemaps-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RED = solidTile([255, 0, 0]);
const BLUE = solidTile([0, 0, 255]);

function stageFile(library: OfflineMapLibrary, make: (path: string) => void): string {
  const { id, path } = library.newIncoming();
  make(path);
  return id;
}

describe('offline map library', () => {
  it('imports an MBTiles file, lists it, and reads tiles in XYZ numbering (TMS rows flipped)', () => {
    const library = new OfflineMapLibrary(join(dir, 'lib1'), logger);
    const id = stageFile(library, (path) =>
      writeMbtiles(path, { name: '海淀', format: 'png', crs: 'wgs84', bounds: '116,39,117,40' }, [
        { z: 1, x: 0, y: 0, data: RED },
        { z: 1, x: 0, y: 1, data: BLUE },
      ]),
    );
    const map = library.import(id, {});
    expect(map).toMatchObject({ id, name: '海淀', crs: 'wgs84', format: 'png', minZoom: 1, maxZoom: 1 });
    expect(map.bounds).toEqual([116, 39, 117, 40]);
    expect(library.list().map((m) => m.id)).toEqual([id]);
    // North-up y=0 is the red tile even though the file stores it at TMS row 1.
    expect(library.tile(id, 1, 0, 0)?.data.equals(RED)).toBe(true);
    expect(library.tile(id, 1, 0, 1)?.data.equals(BLUE)).toBe(true);
    expect(library.tile(id, 1, 1, 1)).toBeUndefined();
    expect(library.tile('nosuchmap123', 1, 0, 0)).toBeUndefined();
    // Kept across a restart of the station.
    library.close();
    const again = new OfflineMapLibrary(join(dir, 'lib1'), logger);
    expect(again.tile(id, 1, 0, 0)?.contentType).toBe('image/png');
    again.remove(id);
    expect(again.list()).toEqual([]);
    expect(readdirSync(join(dir, 'lib1')).filter((f) => f !== 'incoming')).toEqual([]);
    expect(() => again.remove(id)).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('asks for a CRS when the file does not say, and takes the chosen one', () => {
    const library = new OfflineMapLibrary(join(dir, 'lib2'), logger);
    let source = '';
    const id = stageFile(library, (path) => {
      writeMbtiles(path, { name: 'no crs' }, [{ z: 0, x: 0, y: 0, data: RED }]);
      source = join(dir, 'no-crs.mbtiles');
      copyFileSync(path, source);
    });
    expect(() => library.import(id, {})).toThrow(
      expect.objectContaining({ code: 'offline_map_crs_required' }),
    );
    // A refused upload is deleted: nothing half-imported stays.
    expect(readdirSync(library.incomingDir)).toEqual([]);
    const again = stageFile(library, (path) => copyFileSync(source, path));
    expect(library.import(again, { crs: 'gcj02', name: '我的地图' })).toMatchObject({
      crs: 'gcj02',
      name: '我的地图',
    });
  });

  it.each([
    ['a text file', (p: string) => writeFileSync(p, 'not a database at all, just text '.repeat(40))],
    ['an SQLite file without tiles', (p: string) => writeMbtiles(p, { crs: 'wgs84' }, [])],
    [
      'vector tiles',
      (p: string) =>
        writeMbtiles(p, { crs: 'wgs84', format: 'pbf' }, [
          { z: 0, x: 0, y: 0, data: Buffer.from([0x1f, 0x8b, 8]) },
        ]),
    ],
    [
      'tiles that are no image',
      (p: string) => writeMbtiles(p, { crs: 'wgs84' }, [{ z: 0, x: 0, y: 0, data: Buffer.from('hi') }]),
    ],
  ])('refuses %s with offline_map_invalid and keeps nothing', (_name, make) => {
    const library = new OfflineMapLibrary(join(dir, `lib-bad-${Math.random()}`), logger);
    const id = stageFile(library, make);
    expect(() => library.import(id, { crs: 'wgs84' })).toThrow(
      expect.objectContaining({ code: 'offline_map_invalid' }),
    );
    expect(library.list()).toEqual([]);
    expect(readdirSync(library.incomingDir)).toEqual([]);
  });

  it('refuses an upload id that could name a path', () => {
    const library = new OfflineMapLibrary(join(dir, 'lib3'), logger);
    expect(() => library.import('../../etc/passwd', {})).toThrow(
      expect.objectContaining({ code: 'bad_request' }),
    );
    expect(() => library.import('abcdefghijkl', {})).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});

describe('tile cache', () => {
  it('evicts the least recently used tiles past its size limit, and keeps its tiles across a reopen', () => {
    const path = join(dir, 'cache1.sqlite');
    const tile = (n: number) => ({ data: Buffer.alloc(1000, n), contentType: 'image/png' });
    const cache = new TileCache(path, 5_000);
    for (let i = 0; i < 5; i++) cache.put(`t${i}`, tile(i));
    expect(cache.usage()).toMatchObject({ tiles: 5, bytes: 5_000 });
    cache.get('t0'); // t0 is now the most recently used
    cache.put('t5', tile(5)); // 6,000 > 5,000: trims to 4,500 by dropping the oldest: t1, t2
    expect(cache.usage()).toMatchObject({ tiles: 4, bytes: 4_000 });
    expect(['t0', 't1', 't2', 't3', 't4', 't5'].map((k) => cache.get(k) !== undefined)).toEqual([
      true,
      false,
      false,
      true,
      true,
      true,
    ]);
    cache.close();
    const reopened = new TileCache(path, 5_000);
    expect(reopened.usage()).toMatchObject({ tiles: 4, bytes: 4_000 });
    expect(reopened.get('t5')?.data.equals(tile(5).data)).toBe(true);
    reopened.setLimit(2_000);
    expect(reopened.usage().bytes).toBeLessThanOrEqual(1_800);
    reopened.close();
  });
});

describe('tile service', () => {
  let server: TileServer;
  beforeAll(async () => {
    server = await startTileServer((z, x, y) => ((x + y + z) % 2 ? RED : BLUE));
  });
  afterAll(() => server.close());

  function service(settings: Partial<BasemapSettingsInput>, name: string) {
    const library = new OfflineMapLibrary(join(dir, `svc-${name}`), logger);
    const cache = new TileCache(join(dir, `svc-${name}.sqlite`), 10_000_000);
    const input: BasemapSettingsInput = {
      basemap: 'custom',
      basemapCrs: 'wgs84',
      tileUrl: `${server.url}/{z}/{x}/{y}.png`,
      tiandituKey: '',
      tileCache: 'on',
      tileCacheMb: 10,
      ...settings,
    };
    const tiles = createTileService({
      settings: () => input,
      offline: library,
      cache,
      logger,
      backoffMs: 60_000,
      freshMs: 0,
    });
    return { tiles, cache, library };
  }

  it('fetches through the cache, and serves the tiles it has seen when the provider is unreachable', async () => {
    const { tiles, cache } = service({}, 'cached');
    const first = await tiles.serve('cache/custom/3/1/2');
    expect(first).toMatchObject({ ok: true, from: 'upstream' });
    expect(cache.usage().tiles).toBe(1);
    server.setUp(false);
    try {
      const offline = await tiles.serve('cache/custom/3/1/2');
      expect(offline).toMatchObject({ ok: true, from: 'stale' });
      expect(offline.ok && first.ok && offline.tile.data.equals(first.tile.data)).toBe(true);
      // A tile never seen: the provider's host is named.
      const unseen = await tiles.serve('cache/custom/3/2/2');
      expect(unseen).toEqual({ ok: false, status: 502, message: expect.stringContaining('127.0.0.1') });
      // Within the backoff the provider is not asked again: the cache answers at once.
      const before = server.requests.length;
      expect(await tiles.serve('cache/custom/3/1/2')).toMatchObject({ ok: true, from: 'stale' });
      expect(server.requests.length).toBe(before);
    } finally {
      server.setUp(true);
    }
  });

  it('keeps nothing when the cache is off, and refuses layers that are not the current basemap', async () => {
    const { tiles, cache } = service({ tileCache: 'off' }, 'nocache');
    expect(await tiles.serve('cache/custom/3/1/2')).toMatchObject({ ok: true, from: 'upstream' });
    expect(cache.usage().tiles).toBe(0);
    expect(await tiles.serve('cache/osm/3/1/2')).toMatchObject({ ok: false, status: 404 });
    expect(await tiles.serve('cache/custom/../../x')).toMatchObject({ ok: false, status: 404 });
  });

  it('serves offline map tiles', async () => {
    const { tiles, library } = service({}, 'offline');
    const { id, path } = library.newIncoming();
    writeMbtiles(path, { crs: 'gcj02' }, [{ z: 2, x: 1, y: 1, data: RED }]);
    library.import(id, {});
    const answer = await tiles.serve(`offline/${id}/2/1/1`);
    expect(answer.ok && answer.tile.data.equals(RED)).toBe(true);
    // A hole in the map's coverage is a blank tile; an unknown map is not found.
    const hole = await tiles.serve(`offline/${id}/2/1/2`);
    expect(hole.ok && hole.tile.contentType).toBe('image/png');
    expect(hole.ok && hole.tile.data.equals(RED)).toBe(false);
    expect(await tiles.serve('offline/nosuchmap123/2/1/1')).toMatchObject({ ok: false, status: 404 });
    expect(existsSync(path)).toBe(false);
  });
});
