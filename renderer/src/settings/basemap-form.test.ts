import { DEFAULT_LIVE_SETTINGS } from '../../../contract/live-settings.js';
import { describe, expect, it } from 'vitest';
import type { StationSettings } from '../../../contract/station-api.js';
import { basemapFormFrom, basemapUpdateFrom, type BasemapForm } from './basemap-form.js';

const current: StationSettings = {
  relayUrl: 'ws://r',
  hasToken: true,
  retentionDays: 30,
  locale: 'zh-CN',
  basemapCrs: 'gcj02',
  tileUrl: '',
  basemap: '',
  tiandituKey: '',
  tileCache: 'auto',
  tileCacheMb: 256,
  ...DEFAULT_LIVE_SETTINGS,
};
const form = (changes: Partial<BasemapForm>): BasemapForm => ({ ...basemapFormFrom(current), ...changes });

describe('basemap form', () => {
  it.each([
    ['the first run starts on "none" and saves that choice', {}, { ok: true, update: { basemap: 'none' } }],
    ['a preset', { basemap: 'osm' }, { ok: true, update: { basemap: 'osm' } }],
    [
      'a preset ignores the custom CRS',
      { basemap: 'gaode-roads', basemapCrs: 'wgs84' },
      { ok: true, update: { basemap: 'gaode-roads' } },
    ],
    [
      'custom tiles with their CRS',
      { basemap: 'custom', tileUrl: ' http://t.example/{z}/{x}/{y}.png ', basemapCrs: 'wgs84' },
      {
        ok: true,
        update: { basemap: 'custom', tileUrl: 'http://t.example/{z}/{x}/{y}.png', basemapCrs: 'wgs84' },
      },
    ],
    ['custom without a URL', { basemap: 'custom' }, { ok: false, error: 'basemap.badTileUrl' }],
    [
      'a URL without {z}',
      { basemap: 'custom', tileUrl: 'http://t.example/a.png' },
      { ok: false, error: 'basemap.badTileUrl' },
    ],
    ['a bad Tianditu key', { tiandituKey: 'abc def' }, { ok: false, error: 'basemap.badTiandituKey' }],
    [
      'a Tianditu key',
      { basemap: 'tianditu-vector', tiandituKey: 'abcdef0123456789' },
      { ok: true, update: { basemap: 'tianditu-vector', tiandituKey: 'abcdef0123456789' } },
    ],
    [
      'a cache size',
      { basemap: 'osm', tileCacheMb: '1024', tileCache: 'on' },
      { ok: true, update: { basemap: 'osm', tileCacheMb: 1024, tileCache: 'on' } },
    ],
    ['a negative cache size', { tileCacheMb: '-1' }, { ok: false, error: 'basemap.badCacheMb' }],
    ['a fractional cache size', { tileCacheMb: '1.5' }, { ok: false, error: 'basemap.badCacheMb' }],
  ] as [string, Partial<BasemapForm>, unknown][])('%s', (_name, changes, expected) => {
    expect(basemapUpdateFrom(form(changes), current)).toEqual(expected);
  });
});
