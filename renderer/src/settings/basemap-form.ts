/**
 * The basemap form's values and what they become: a `SettingsUpdate` with only what changed, or the message key
 * of the first problem. The station validates again (electron/core/basemaps/schemas.ts); this gives the reason
 * before a round trip.
 */
import type { BasemapChoice, TileCacheMode } from '../../../contract/basemaps/active.js';
import type { SettingsUpdate, StationSettings } from '../../../contract/station-api.js';
import type { Crs } from '../../../protocol/fix-limits.js';
import type { MessageKey } from '../i18n/translate.js';

export interface BasemapForm {
  basemap: BasemapChoice;
  /** CRS of the custom template (and of the map without tiles). */
  basemapCrs: Crs;
  tileUrl: string;
  tiandituKey: string;
  tileCache: TileCacheMode;
  tileCacheMb: string;
}

export function basemapFormFrom(settings: StationSettings): BasemapForm {
  return {
    // The first run has chosen nothing; the form starts on the default the picker offers.
    basemap: settings.basemap === '' ? 'none' : settings.basemap,
    basemapCrs: settings.basemapCrs,
    tileUrl: settings.tileUrl,
    tiandituKey: settings.tiandituKey,
    tileCache: settings.tileCache,
    tileCacheMb: String(settings.tileCacheMb),
  };
}

export type BasemapFormResult = { ok: true; update: SettingsUpdate } | { ok: false; error: MessageKey };

export function basemapUpdateFrom(form: BasemapForm, current: StationSettings): BasemapFormResult {
  const update: SettingsUpdate = {};
  const tileUrl = form.tileUrl.trim();
  if (form.basemap === 'custom' && !/^https?:\/\/\S+$/.test(tileUrl))
    return { ok: false, error: 'basemap.badTileUrl' };
  if (tileUrl !== '' && !['{z}', '{x}', '{y}'].every((p) => tileUrl.includes(p)))
    return { ok: false, error: 'basemap.badTileUrl' };
  const key = form.tiandituKey.trim();
  if (key !== '' && !/^[A-Za-z0-9]{8,64}$/.test(key)) return { ok: false, error: 'basemap.badTiandituKey' };
  const mb = Number(form.tileCacheMb.trim());
  if (form.tileCacheMb.trim() === '' || !Number.isInteger(mb) || mb < 0 || mb > 100_000)
    return { ok: false, error: 'basemap.badCacheMb' };
  if (form.basemap !== current.basemap) update.basemap = form.basemap;
  if (tileUrl !== current.tileUrl) update.tileUrl = tileUrl;
  if (key !== current.tiandituKey) update.tiandituKey = key;
  if (form.tileCache !== current.tileCache) update.tileCache = form.tileCache;
  if (mb !== current.tileCacheMb) update.tileCacheMb = mb;
  // A preset or an offline map brings its own CRS; the form's CRS is for custom tiles and for no tiles.
  if ((form.basemap === 'custom' || form.basemap === 'none') && form.basemapCrs !== current.basemapCrs)
    update.basemapCrs = form.basemapCrs;
  return { ok: true, update };
}
