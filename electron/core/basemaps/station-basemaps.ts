/**
 * The station's basemap part: imported offline maps, the tile cache, the tiles served through the hosts, and the
 * active basemap derived from the settings. The station service delegates its basemap calls here.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  effectiveCrs,
  OFFLINE_PREFIX,
  resolveBasemap,
  type BasemapSettingsInput,
} from '../../../contract/basemaps/active.js';
import type { OfflineMapImport, StationSettings } from '../../../contract/station-api.js';
import { StationError } from '../../../contract/errors.js';
import type { StoredSettings } from '../store/types.js';
import { OfflineMapLibrary } from './offline-maps.js';
import { TileCache } from './tile-cache.js';
import { createTileService, type TileService } from './tile-service.js';

const MB = 1024 * 1024;

export class StationBasemaps {
  readonly offline: OfflineMapLibrary;
  readonly cache: TileCache;
  readonly tiles: TileService;

  constructor(
    dataDir: string,
    private readonly settings: () => StoredSettings,
    private readonly update: (update: Partial<StoredSettings>) => void,
    logger: Logger,
    fetchImpl?: typeof fetch,
  ) {
    this.offline = new OfflineMapLibrary(join(dataDir, 'basemaps'), logger);
    this.cache = new TileCache(join(dataDir, 'tile-cache.sqlite'), settings().tileCacheMb * MB);
    this.tiles = createTileService({
      settings: () => this.settings(),
      offline: this.offline,
      cache: this.cache,
      logger,
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    });
  }

  /** The stored settings as the renderer sees them: the effective CRS and the tiles to draw. */
  describe(stored: StoredSettings): Omit<StationSettings, 'hasToken' | 'relayUrl'> {
    const input: BasemapSettingsInput = stored;
    const active = resolveBasemap(input, this.offline.list());
    return {
      ...stored,
      basemapCrs: effectiveCrs(input, active),
      ...(active ? { activeBasemap: active } : {}),
    };
  }

  /** A choice of an offline map must name one that exists. */
  checkUpdate(update: Partial<StoredSettings>): void {
    const choice = update.basemap;
    if (choice?.startsWith(OFFLINE_PREFIX)) {
      const id = choice.slice(OFFLINE_PREFIX.length);
      if (!this.offline.list().some((m) => m.id === id))
        throw new StationError('not_found', 'no such offline map');
    }
  }

  applied(update: Partial<StoredSettings>): void {
    if (update.tileCacheMb !== undefined) this.cache.setLimit(update.tileCacheMb * MB);
  }

  async import(request: OfflineMapImport) {
    if (!('uploadId' in request)) {
      throw new StationError('bad_request', 'only the desktop app can pick a file; upload it instead');
    }
    return this.offline.import(request.uploadId, {
      ...(request.crs ? { crs: request.crs } : {}),
      ...(request.name ? { name: request.name } : {}),
    });
  }

  remove(id: string): void {
    this.offline.remove(id);
    if (this.settings().basemap === `${OFFLINE_PREFIX}${id}`) this.update({ basemap: 'none' });
  }

  close(): void {
    this.offline.close();
    this.cache.close();
  }
}
