/**
 * The browser host's basemap routes over real HTTP with a real station: an .mbtiles upload (key, size limit),
 * its import through the station API, and its tiles behind the per-run tile token.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { StationApi } from '../../contract/station-api.js';
import { KEY_HEADER, UPLOAD_PATH } from '../../contract/web-protocol.js';
import { connectWebStation } from '../../renderer/src/station/web-client.js';
import { solidTile, writeMbtiles } from '../../test/support/tiles.js';
import { memoryVault, openStationRuntime, type StationRuntime } from '../core/runtime.js';
import { trackExporter } from '../core/station/exporter.js';
import { startWebHost, type RunningWebHost } from './server.js';

let dir: string;
let runtime: StationRuntime;
let host: RunningWebHost;
let api: StationApi;
let mbtiles: Buffer;
const GREEN = solidTile([0, 160, 0]);
const MAX_UPLOAD = 200_000;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lodestar-web-basemaps-'));
  runtime = openStationRuntime({
    dataDir: join(dir, 'data'),
    vault: memoryVault(undefined),
    exporter: trackExporter,
    logger: pino({ level: 'silent' }),
    relayUrl: 'ws://127.0.0.1:1',
  });
  host = await startWebHost({
    station: runtime.station,
    basemaps: runtime.station.basemaps,
    rendererDir: join(dir, 'no-renderer'),
    logger: pino({ level: 'silent' }),
    maxUploadBytes: MAX_UPLOAD,
  });
  api = connectWebStation({ origin: host.origin, hash: `#key=${host.secret}` } as Location, {
    WebSocket: WebSocket as never,
  });
  writeMbtiles(join(dir, 'city.mbtiles'), { name: 'City', crs: 'gcj02', format: 'png' }, [
    { z: 3, x: 6, y: 3, data: GREEN },
  ]);
  mbtiles = readFileSync(join(dir, 'city.mbtiles'));
});

afterAll(async () => {
  await host.close();
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

const upload = (body: Buffer, headers: Record<string, string> = { [KEY_HEADER]: host.secret }) =>
  fetch(`${host.origin}${UPLOAD_PATH}`, { method: 'POST', headers, body: new Uint8Array(body) });

describe('browser host basemap routes', () => {
  it('takes an upload only with the station key', async () => {
    expect((await upload(mbtiles, {})).status).toBe(401);
    expect((await upload(mbtiles, { [KEY_HEADER]: 'wrong' })).status).toBe(401);
  });

  it('refuses an upload over the size limit, and keeps no part of it', async () => {
    const response = await upload(Buffer.alloc(MAX_UPLOAD + 1));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(readdirSync(runtime.station.basemaps.offline.incomingDir)).toEqual([]);
  });

  it('imports an uploaded map, switches to it, and serves its tiles only with the tile token', async () => {
    const response = await upload(mbtiles);
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as { result: { uploadId: string; bytes: number } };
    expect(result.bytes).toBe(mbtiles.length);
    const map = await api.importOfflineMap({ uploadId: result.uploadId });
    expect(map).toMatchObject({ name: 'City', crs: 'gcj02', minZoom: 3, maxZoom: 3 });
    expect((await api.listOfflineMaps()).map((m) => m.id)).toEqual([map.id]);

    const settings = await api.updateSettings({ basemap: `offline:${map.id}` });
    expect(settings.basemapCrs).toBe('gcj02');
    const template = settings.activeBasemap?.layers[0]?.url ?? '';
    expect(template).toMatch(/^\/api\/tiles\/offline\/[\w-]+\/\{z\}\/\{x\}\/\{y\}\?t=[\w-]+$/);
    const tileUrl = `${host.origin}${template.replace('{z}', '3').replace('{x}', '6').replace('{y}', '3')}`;
    const tile = await fetch(tileUrl);
    expect(tile.status).toBe(200);
    expect(tile.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await tile.arrayBuffer()).equals(GREEN)).toBe(true);
    expect((await fetch(tileUrl.replace(/\?t=.*/, '?t=wrong'))).status).toBe(401);
    // Outside the file's coverage: a blank tile, not an error.
    const blank = await fetch(tileUrl.replace('/3/6/3', '/3/6/4'));
    expect(blank.status).toBe(200);
    expect(Buffer.from(await blank.arrayBuffer()).equals(GREEN)).toBe(false);
    // The station's key is not a tile token, and the tile token is not the station's key.
    expect(template).not.toContain(host.secret);

    // Removing the map in use leaves the station without a basemap, not with a broken one.
    await api.removeOfflineMap(map.id);
    expect((await api.getSettings()).basemap).toBe('none');
    expect((await api.getSettings()).activeBasemap).toBeUndefined();
    expect((await fetch(tileUrl)).status).toBe(404);
  });

  it('refuses bad basemap settings and imports with stable codes', async () => {
    await expect(api.updateSettings({ basemap: 'offline:nosuchmap123' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(api.updateSettings({ tileUrl: 'javascript:alert(1)//{z}{x}{y}' })).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(api.updateSettings({ basemap: 'bing' as never })).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(api.importOfflineMap({ uploadId: '../../../etc' })).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(api.importOfflineMap({ pick: true })).rejects.toMatchObject({ code: 'bad_request' });
    const text = await upload(Buffer.from('not an mbtiles file'));
    const { result } = (await text.json()) as { result: { uploadId: string } };
    await expect(api.importOfflineMap({ uploadId: result.uploadId, crs: 'wgs84' })).rejects.toMatchObject({
      code: 'offline_map_invalid',
    });
  });
});
