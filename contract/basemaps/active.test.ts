import { describe, expect, it } from 'vitest';
import {
  cacheEnabled,
  effectiveCrs,
  resolveBasemap,
  withHostTileUrls,
  type BasemapSettingsInput,
  type OfflineMap,
} from './active.js';
import { BASEMAP_PRESETS } from './presets.js';

const base: BasemapSettingsInput = {
  basemap: '',
  basemapCrs: 'gcj02',
  tileUrl: '',
  tiandituKey: '',
  tileCache: 'auto',
  tileCacheMb: 256,
};
const offline: OfflineMap = {
  id: 'abcdefgh1234',
  name: 'Haidian',
  crs: 'wgs84',
  format: 'png',
  minZoom: 10,
  maxZoom: 16,
  bytes: 1000,
  importedAt: 1,
};

describe('basemap presets', () => {
  it('every preset has a CRS, an attribution and a {z}/{x}/{y} template; keyed ones take {key}', () => {
    for (const p of BASEMAP_PRESETS) {
      expect(p.attribution.length).toBeGreaterThan(3);
      for (const part of ['{z}', '{x}', '{y}']) expect(p.url).toContain(part);
      expect(p.url.includes('{key}')).toBe(p.needsKey);
      if (p.url.includes('{s}')) expect(p.subdomains.length).toBeGreaterThan(0);
    }
  });
});

describe('resolveBasemap', () => {
  it.each([
    ['not chosen yet: no tiles, stored CRS', {}, undefined, 'gcj02'],
    ['none', { basemap: 'none', basemapCrs: 'wgs84' }, undefined, 'wgs84'],
    ['Gaode roads: GCJ-02, direct (terms forbid caching)', { basemap: 'gaode-roads' }, 'online', 'gcj02'],
    ['Gaode satellite with its labels', { basemap: 'gaode-satellite' }, 'online', 'gcj02'],
    [
      'Tianditu without a key: nothing to draw, but its CRS',
      { basemap: 'tianditu-vector' },
      undefined,
      'wgs84',
    ],
    [
      'Tianditu with a key',
      { basemap: 'tianditu-imagery', tiandituKey: 'abcdef0123456789' },
      'online',
      'wgs84',
    ],
    ['OSM: cached by default (its policy asks clients to cache)', { basemap: 'osm' }, 'cached', 'wgs84'],
    ['OSM with the cache off', { basemap: 'osm', tileCache: 'off' }, 'online', 'wgs84'],
    ['OSM with a zero-size cache', { basemap: 'osm', tileCacheMb: 0 }, 'online', 'wgs84'],
    ['Gaode with the cache forced on', { basemap: 'gaode-roads', tileCache: 'on' }, 'cached', 'gcj02'],
    [
      'custom template in its declared CRS',
      { basemap: 'custom', tileUrl: 'http://t.example/{z}/{x}/{y}.png', basemapCrs: 'bd09' },
      'online',
      'bd09',
    ],
    ['custom without a template', { basemap: 'custom', basemapCrs: 'wgs84' }, undefined, 'wgs84'],
    ['an imported map, in its own CRS', { basemap: `offline:${offline.id}` }, 'offline', 'wgs84'],
    ['a removed map', { basemap: 'offline:gonegonegone' }, undefined, 'gcj02'],
  ] as const)('%s', (_name, settings, kind, crs) => {
    const input = { ...base, ...settings } as BasemapSettingsInput;
    const active = resolveBasemap(input, [offline]);
    expect(active?.kind).toBe(kind);
    expect(effectiveCrs(input, active)).toBe(crs);
  });

  it('fills the Tianditu key and adds the labels layer', () => {
    const active = resolveBasemap({ ...base, basemap: 'tianditu-vector', tiandituKey: 'abc123def456' }, []);
    expect(active?.layers).toHaveLength(2);
    expect(active?.layers[0]?.url).toContain('tk=abc123def456');
    expect(active?.layers[0]?.source).toBe('t0.tianditu.gov.cn');
    expect(active?.layers[1]?.url).toContain('LAYER=cva');
  });

  it('gives station-served tiles a host-neutral URL each host rewrites; online URLs stay', () => {
    const cached = resolveBasemap({ ...base, basemap: 'osm' }, [])!;
    expect(cached.layers[0]?.url).toBe('station-tiles:cache/osm/{z}/{x}/{y}');
    expect(cached.layers[0]?.source).toBe('tile.openstreetmap.org');
    expect(withHostTileUrls(cached, '/api/tiles/', '?t=T').layers[0]?.url).toBe(
      '/api/tiles/cache/osm/{z}/{x}/{y}?t=T',
    );
    const direct = resolveBasemap({ ...base, basemap: 'gaode-roads' }, [])!;
    expect(withHostTileUrls(direct, '/api/tiles/').layers[0]?.url).toMatch(/^https:\/\/webrd0\{s\}/);
  });

  it.each([
    ['auto follows the terms: OSM', 'osm', 'auto', true],
    ['auto follows the terms: Gaode', 'gaode-roads', 'auto', false],
    ['auto follows the terms: Tianditu', 'tianditu-vector', 'auto', false],
    ['auto on a custom template: off', 'custom', 'auto', false],
    ['on', 'custom', 'on', true],
    ['off', 'osm', 'off', false],
  ] as const)('cache %s', (_n, basemap, tileCache, on) => {
    expect(cacheEnabled({ ...base, basemap, tileCache })).toBe(on);
  });
});
