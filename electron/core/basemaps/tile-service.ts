/**
 * The tiles the station serves itself, for both hosts (the browser host's /api/tiles/ route and Electron's
 * app://lodestar/tiles/): offline maps read from MBTiles, and online tiles fetched through the local cache.
 *
 * Cached tiles younger than `freshMs` are served without asking the provider; older ones are refreshed, and
 * served stale when the provider does not answer. After a failure the provider is left alone for `backoffMs`
 * (tiles come straight from the cache meanwhile), so an offline station does not wait on a timeout per tile.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { cacheEnabled, onlineLayers, type BasemapSettingsInput } from '../../../contract/basemaps/active.js';
import type { OfflineMapLibrary, Tile } from './offline-maps.js';
import type { TileCache } from './tile-cache.js';
import { fillTemplate, parseTilePath } from './tile-path.js';

export type TileAnswer =
  | { ok: true; tile: Tile; from: 'offline' | 'cache' | 'upstream' | 'stale' }
  | { ok: false; status: 404 | 502; message: string };

export interface TileServiceOptions {
  settings: () => BasemapSettingsInput;
  offline: OfflineMapLibrary;
  cache: TileCache;
  logger: Logger;
  fetch?: typeof fetch;
  timeoutMs?: number;
  freshMs?: number;
  backoffMs?: number;
}

const MAX_TILE_BYTES = 4 * 1024 * 1024;

/** A transparent 1×1 PNG. */
const BLANK_TILE: Tile = {
  data: Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  ),
  contentType: 'image/png',
};

export function createTileService(options: TileServiceOptions) {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 8_000;
  const freshMs = options.freshMs ?? 7 * 86_400_000;
  const backoffMs = options.backoffMs ?? 15_000;
  const downUntil = new Map<string, number>();

  async function fetchUpstream(url: string): Promise<Tile> {
    const host = new URL(url).host;
    const until = downUntil.get(host) ?? 0;
    if (Date.now() < until) throw new Error(`${host} failed recently`);
    try {
      const response = await doFetch(url, {
        signal: AbortSignal.timeout(timeoutMs),
        headers: { 'user-agent': 'Lodestar-station/0.1 (dispatch map)' },
      });
      const contentType = response.headers.get('content-type') ?? '';
      if (!response.ok || !contentType.startsWith('image/')) {
        throw new Error(`${host} answered ${response.status} ${contentType}`);
      }
      const data = Buffer.from(await response.arrayBuffer());
      if (data.length > MAX_TILE_BYTES) throw new Error(`${host} sent a ${data.length}-byte tile`);
      downUntil.delete(host);
      return { data, contentType };
    } catch (error) {
      downUntil.set(host, Date.now() + backoffMs);
      throw error;
    }
  }

  async function serve(path: string): Promise<TileAnswer> {
    const parsed = parseTilePath(path);
    if (!parsed) return { ok: false, status: 404, message: 'no such tile path' };
    const { z, x, y } = parsed;
    if (parsed.kind === 'offline') {
      if (!options.offline.has(parsed.id)) return { ok: false, status: 404, message: 'no such offline map' };
      // A hole in a map's coverage is normal (files are cut to an area): blank, not an error the page would
      // count as an unreachable map.
      const tile = options.offline.tile(parsed.id, z, x, y) ?? BLANK_TILE;
      return { ok: true, tile, from: 'offline' };
    }
    const settings = options.settings();
    const layer = onlineLayers(settings)?.find((l) => l.key === parsed.layer);
    if (!layer) return { ok: false, status: 404, message: 'that layer is not the current basemap' };
    const useCache = cacheEnabled(settings);
    // Keyed by the template (not the key inside it) so a changed provider URL never shows old tiles.
    const key = `${createHash('sha1')
      .update(layer.url.replace(/tk=[^&]*/, ''))
      .digest('base64url')
      .slice(0, 12)}/${z}/${x}/${y}`;
    const cached = useCache ? options.cache.get(key) : undefined;
    if (cached && Date.now() - cached.storedAt < freshMs) return { ok: true, tile: cached, from: 'cache' };
    const url = fillTemplate(layer.url, layer.subdomains, z, x, y);
    try {
      const tile = await fetchUpstream(url);
      if (useCache) options.cache.put(key, tile);
      return { ok: true, tile, from: 'upstream' };
    } catch (error) {
      if (cached) return { ok: true, tile: cached, from: 'stale' };
      options.logger.debug({ err: error, host: new URL(url).host }, 'tile unavailable');
      return { ok: false, status: 502, message: `${new URL(url).host} unreachable` };
    }
  }

  return { serve };
}

export type TileService = ReturnType<typeof createTileService>;
