/**
 * Which tiles the map draws, decided from the settings and the imported offline maps: one pure function both
 * hosts and the renderer agree on. Tiles the station serves itself (offline maps, and online tiles when the
 * local cache is on) get a host-neutral `station-tiles:` URL that each host rewrites to its own route
 * (`withHostTileUrls`): the browser host's `/api/tiles/…?t=<token>`, Electron's `app://lodestar/tiles/…`.
 */
import type { Crs } from '../../protocol/fix-limits.js';
import { presetById, type BasemapPresetId } from './presets.js';

/** What the settings can name: not chosen yet (first run), none, a preset, the custom template, an offline map. */
export type BasemapChoice = '' | 'none' | 'custom' | BasemapPresetId | `offline:${string}`;
export const TILE_CACHE_MODES = ['auto', 'on', 'off'] as const;
/** `auto` follows the provider's terms (presets.ts `cacheAllowed`); `on`/`off` is the dispatcher's decision. */
export type TileCacheMode = (typeof TILE_CACHE_MODES)[number];

export const OFFLINE_MAP_FORMATS = ['png', 'jpg', 'webp'] as const;
export type OfflineMapFormat = (typeof OFFLINE_MAP_FORMATS)[number];

export interface OfflineMap {
  id: string;
  name: string;
  crs: Crs;
  format: OfflineMapFormat;
  minZoom: number;
  maxZoom: number;
  /** [west, south, east, north] in the map's own CRS, when the file says. */
  bounds?: [number, number, number, number];
  bytes: number;
  importedAt: number;
  attribution?: string;
}

export interface TileLayerSpec {
  /** Leaflet URL template ({s}, {z}, {x}, {y}); `station-tiles:` until a host rewrites it. */
  url: string;
  subdomains: string;
  /** Where the tiles really come from, as the dispatcher knows it: a host name, or the offline map's name. */
  source: string;
}

export interface ActiveBasemap {
  choice: BasemapChoice;
  crs: Crs;
  /** The base layer first, then overlays (labels). */
  layers: TileLayerSpec[];
  attribution: string;
  minZoom: number;
  maxZoom: number;
  kind: 'online' | 'cached' | 'offline';
  /** Zooms the tiles exist at (offline maps): Leaflet asks for none outside and scales the deepest up. */
  nativeZoom?: { min: number; max: number };
  /** [west, south, east, north] in the map's CRS: no tiles are asked for outside. */
  bounds?: [number, number, number, number];
}

export interface BasemapSettingsInput {
  basemap: BasemapChoice;
  basemapCrs: Crs;
  tileUrl: string;
  tiandituKey: string;
  tileCache: TileCacheMode;
  tileCacheMb: number;
}

export const STATION_TILES_PREFIX = 'station-tiles:';
export const OFFLINE_PREFIX = 'offline:';

/** Whether tiles of this choice go through the station's cache. */
export function cacheEnabled(settings: BasemapSettingsInput): boolean {
  if (settings.tileCacheMb <= 0 || settings.tileCache === 'off') return false;
  if (settings.tileCache === 'on') return true;
  const preset = presetById(settings.basemap);
  return preset?.cacheAllowed ?? false;
}

export function hostOf(template: string, subdomains: string): string {
  const filled = template.replace('{s}', subdomains[0] ?? '');
  try {
    return new URL(filled.replace(/\{[a-z]+\}/g, '0')).host;
  } catch {
    return template.slice(0, 60);
  }
}

/** The upstream URL templates of an online choice, key filled in; `undefined` when it has none (or no key). */
export function onlineLayers(
  settings: BasemapSettingsInput,
): { key: string; url: string; subdomains: string }[] | undefined {
  if (settings.basemap === 'custom') {
    return settings.tileUrl ? [{ key: 'custom', url: settings.tileUrl, subdomains: 'abc' }] : undefined;
  }
  const preset = presetById(settings.basemap);
  if (!preset) return undefined;
  if (preset.needsKey && !settings.tiandituKey) return undefined;
  const fill = (u: string): string => u.replace('{key}', encodeURIComponent(settings.tiandituKey));
  const layers: { key: string; url: string; subdomains: string }[] = [
    { key: preset.id, url: fill(preset.url), subdomains: preset.subdomains },
  ];
  if (preset.labelsUrl)
    layers.push({ key: `${preset.id}.labels`, url: fill(preset.labelsUrl), subdomains: preset.subdomains });
  return layers;
}

export function resolveBasemap(
  settings: BasemapSettingsInput,
  offlineMaps: readonly OfflineMap[],
): ActiveBasemap | undefined {
  const choice = settings.basemap;
  if (choice.startsWith(OFFLINE_PREFIX)) {
    const map = offlineMaps.find((m) => m.id === choice.slice(OFFLINE_PREFIX.length));
    if (!map) return undefined;
    return {
      choice,
      crs: map.crs,
      layers: [
        { url: `${STATION_TILES_PREFIX}offline/${map.id}/{z}/{x}/{y}`, subdomains: '', source: map.name },
      ],
      attribution: map.attribution ?? map.name,
      minZoom: 0,
      // Leaflet scales the deepest tiles up past the file's own zoom rather than showing nothing.
      maxZoom: Math.max(map.maxZoom + 3, 18),
      kind: 'offline',
      nativeZoom: { min: map.minZoom, max: map.maxZoom },
      ...(map.bounds ? { bounds: map.bounds } : {}),
    };
  }
  const layers = onlineLayers(settings);
  if (!layers) return undefined;
  const preset = presetById(choice);
  const cached = cacheEnabled(settings);
  return {
    choice,
    crs: preset?.crs ?? settings.basemapCrs,
    layers: layers.map((l) => ({
      url: cached ? `${STATION_TILES_PREFIX}cache/${l.key}/{z}/{x}/{y}` : l.url,
      subdomains: cached ? '' : l.subdomains,
      source: hostOf(l.url, l.subdomains),
    })),
    attribution: preset?.attribution ?? hostOf(settings.tileUrl, 'a'),
    minZoom: 0,
    maxZoom: preset?.maxZoom ?? 19,
    kind: cached ? 'cached' : 'online',
  };
}

/** The CRS fixes are drawn in: the basemap's, or the stored one when there are no tiles. */
export function effectiveCrs(settings: BasemapSettingsInput, active: ActiveBasemap | undefined): Crs {
  return active?.crs ?? presetById(settings.basemap)?.crs ?? settings.basemapCrs;
}

/** A host's rewrite of `station-tiles:` URLs: `prefix` + path + `suffix` (e.g. a token query). */
export function withHostTileUrls(active: ActiveBasemap, prefix: string, suffix = ''): ActiveBasemap {
  return {
    ...active,
    layers: active.layers.map((l) =>
      l.url.startsWith(STATION_TILES_PREFIX)
        ? { ...l, url: `${prefix}${l.url.slice(STATION_TILES_PREFIX.length)}${suffix}` }
        : l,
    ),
  };
}
