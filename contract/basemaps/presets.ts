/**
 * The basemap presets, as data: one row per tile provider with the coordinate system its tiles are drawn in, its
 * attribution, and whether its terms let a station keep the tiles it has seen. Choosing a preset sets the CRS, so
 * a fix lands on the right street whatever the provider (fixes are converted at the map edge, renderer/src/map/
 * project.ts). Host-neutral: the renderer, the core and both hosts read this one table.
 */
import type { Crs } from '../../protocol/fix-limits.js';

export const BASEMAP_PRESET_IDS = [
  'gaode-roads',
  'gaode-satellite',
  'tianditu-vector',
  'tianditu-imagery',
  'osm',
] as const;
export type BasemapPresetId = (typeof BASEMAP_PRESET_IDS)[number];

export interface BasemapPreset {
  id: BasemapPresetId;
  crs: Crs;
  /** Leaflet URL template: {s} subdomain, {z}/{x}/{y} tile, {key} the dispatcher's key for the provider. */
  url: string;
  /** Extra template drawn on top (Tianditu's imagery and vector tiles carry no labels; the labels are a layer). */
  labelsUrl?: string;
  subdomains: string;
  maxZoom: number;
  /** Shown in the map's attribution control, as the providers ask. */
  attribution: string;
  /** The provider needs a key from the dispatcher (Tianditu's 天地图 browser key). */
  needsKey: boolean;
  /**
   * Whether the provider's terms allow keeping its tiles in a local cache, which decides the cache's default:
   * AutoNavi (高德) and Tianditu (天地图) terms forbid storing their tiles without a licence; the OpenStreetMap
   * tile usage policy asks clients to cache (honouring its headers) and forbids only bulk prefetching.
   */
  cacheAllowed: boolean;
}

export const BASEMAP_PRESETS: readonly BasemapPreset[] = [
  {
    id: 'gaode-roads',
    crs: 'gcj02',
    url: 'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}',
    subdomains: '1234',
    maxZoom: 18,
    attribution: '© 高德地图 AutoNavi',
    needsKey: false,
    cacheAllowed: false,
  },
  {
    id: 'gaode-satellite',
    crs: 'gcj02',
    url: 'https://webst0{s}.is.autonavi.com/appmaptile?style=6&x={x}&y={y}&z={z}',
    labelsUrl: 'https://webst0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}',
    subdomains: '1234',
    maxZoom: 18,
    attribution: '© 高德地图 AutoNavi',
    needsKey: false,
    cacheAllowed: false,
  },
  {
    id: 'tianditu-vector',
    crs: 'wgs84',
    url: 'https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}',
    labelsUrl:
      'https://t{s}.tianditu.gov.cn/cva_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=cva&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}',
    subdomains: '01234567',
    maxZoom: 18,
    attribution: '© 天地图 Tianditu, GS(2024)0568号',
    needsKey: true,
    cacheAllowed: false,
  },
  {
    id: 'tianditu-imagery',
    crs: 'wgs84',
    url: 'https://t{s}.tianditu.gov.cn/img_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=img&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}',
    labelsUrl:
      'https://t{s}.tianditu.gov.cn/cia_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=cia&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}',
    subdomains: '01234567',
    maxZoom: 18,
    attribution: '© 天地图 Tianditu, GS(2024)0568号',
    needsKey: true,
    cacheAllowed: false,
  },
  {
    id: 'osm',
    crs: 'wgs84',
    url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
    subdomains: '',
    maxZoom: 19,
    attribution: '© OpenStreetMap contributors',
    needsKey: false,
    cacheAllowed: true,
  },
];

/** What a fresh station offers first: most members' phones report GCJ-02, which Gaode draws in. */
export const DEFAULT_OFFERED_BASEMAP: BasemapPresetId = 'gaode-roads';

export function presetById(id: string): BasemapPreset | undefined {
  return BASEMAP_PRESETS.find((p) => p.id === id);
}
