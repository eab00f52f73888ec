/**
 * Basemap settings: the map to draw (a preset, custom tiles, an offline map, or none), the Tianditu key, the tile
 * cache, and the imported offline maps (import, switch, remove). Choosing a preset sets the coordinate system.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { TILE_CACHE_MODES, type OfflineMap } from '../../../contract/basemaps/active.js';
import { BASEMAP_PRESETS, presetById } from '../../../contract/basemaps/presets.js';
import type { StationApi, StationSettings } from '../../../contract/station-api.js';
import { CRS_VALUES, type Crs } from '../../../protocol/fix-limits.js';
import { errorText } from '../i18n/error-text.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { MessageKey, MessageParams } from '../i18n/translate.js';
import '../map/basemap.css';
import { importOfflineMap, picksFilesItself } from '../station/offline-map-upload.js';
import { basemapFormFrom, basemapUpdateFrom, type BasemapForm } from './basemap-form.js';
import { PRESET_NAME } from './basemap-names.js';

const CACHE_MODE_NAME: Record<(typeof TILE_CACHE_MODES)[number], MessageKey> = {
  auto: 'basemap.cacheAuto',
  on: 'basemap.cacheOn',
  off: 'basemap.cacheOff',
};

export function BasemapSettings({
  station,
  settings,
  onSaved,
}: {
  station: StationApi;
  settings: StationSettings;
  onSaved: (settings: StationSettings) => void;
}) {
  const { t } = useI18n();
  const [form, setForm] = useState<BasemapForm>(() => basemapFormFrom(settings));
  const [maps, setMaps] = useState<OfflineMap[]>([]);
  const [message, setMessage] = useState<{ text: string; error: boolean } | undefined>();
  const [importCrs, setImportCrs] = useState<Crs | ''>('');
  const [file, setFile] = useState<File | undefined>();
  const [progress, setProgress] = useState<number | undefined>();
  /** Changing it remounts the file input, which is the way to empty one. */
  const [fileInputKey, setFileInputKey] = useState(0);
  const say = (key: MessageKey, params?: MessageParams, error = false): void =>
    setMessage({ text: t(key, params), error });
  const set = <K extends keyof BasemapForm>(key: K, value: BasemapForm[K]): void =>
    setForm((f) => ({ ...f, [key]: value }));

  const refreshMaps = useCallback(() => {
    station
      .listOfflineMaps()
      .then(setMaps, (e: unknown) => setMessage({ text: errorText(t, e), error: true }));
  }, [station, t]);
  useEffect(refreshMaps, [refreshMaps]);
  useEffect(() => setForm(basemapFormFrom(settings)), [settings]);

  const apply = (update: Parameters<StationApi['updateSettings']>[0]): void => {
    station.updateSettings(update).then(
      (next) => {
        onSaved(next);
        say('settings.saved');
      },
      (e: unknown) => setMessage({ text: errorText(t, e), error: true }),
    );
  };

  const save = (event: FormEvent): void => {
    event.preventDefault();
    const result = basemapUpdateFrom(form, settings);
    if (!result.ok) say(result.error, undefined, true);
    else apply(result.update);
  };

  const runImport = (): void => {
    setProgress(0);
    say('basemap.uploading', { percent: 0 });
    importOfflineMap(station, file, importCrs || undefined, (fraction) => {
      setProgress(fraction);
      say(fraction < 1 ? 'basemap.uploading' : 'basemap.importing', { percent: Math.round(fraction * 100) });
    }).then(
      (map) => {
        setProgress(undefined);
        setFile(undefined);
        setFileInputKey((k) => k + 1);
        refreshMaps();
        say('basemap.imported', { name: map.name });
      },
      (e: unknown) => {
        setProgress(undefined);
        setMessage({ text: errorText(t, e), error: true });
      },
    );
  };

  const remove = (map: OfflineMap): void => {
    station.removeOfflineMap(map.id).then(
      () => {
        refreshMaps();
        void station.getSettings().then(onSaved);
      },
      (e: unknown) => setMessage({ text: errorText(t, e), error: true }),
    );
  };

  const preset = presetById(form.basemap);
  const cacheAllowed = preset?.cacheAllowed ?? false;

  return (
    <section className="basemap-settings" aria-label={t('basemap.title')}>
      <form className="basemap-form" onSubmit={save}>
        <h2>{t('basemap.title')}</h2>
        <label>
          {t('basemap.choose')}
          <select
            name="basemap"
            value={form.basemap}
            onChange={(e) => set('basemap', e.target.value as BasemapForm['basemap'])}
          >
            {BASEMAP_PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {t(PRESET_NAME[p.id])} · {t(`crs.${p.crs}`)}
              </option>
            ))}
            {maps.map((m) => (
              <option key={m.id} value={`offline:${m.id}`}>
                {t('basemap.offlineMap', { name: m.name })} · {t(`crs.${m.crs}`)}
              </option>
            ))}
            <option value="custom">{t('basemap.custom')}</option>
            <option value="none">{t('basemap.none')}</option>
          </select>
        </label>
        {preset?.needsKey ? (
          <label>
            {t('basemap.tiandituKey')}
            <input
              name="tiandituKey"
              autoComplete="off"
              value={form.tiandituKey}
              onChange={(e) => set('tiandituKey', e.target.value)}
            />
            <small>{t('basemap.tiandituKeyHint')}</small>
          </label>
        ) : null}
        {form.basemap === 'custom' ? (
          <label>
            {t('settings.tileUrl')}
            <input name="tileUrl" value={form.tileUrl} onChange={(e) => set('tileUrl', e.target.value)} />
            <small>{t('settings.tileUrlHint')}</small>
          </label>
        ) : null}
        {form.basemap === 'custom' || form.basemap === 'none' ? (
          <label>
            {t('settings.basemapCrs')}
            <select
              name="basemapCrs"
              value={form.basemapCrs}
              onChange={(e) => set('basemapCrs', e.target.value as Crs)}
            >
              {CRS_VALUES.map((c) => (
                <option key={c} value={c}>
                  {t(`crs.${c}`)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          {t('basemap.cache')}
          <select
            name="tileCache"
            value={form.tileCache}
            onChange={(e) => set('tileCache', e.target.value as BasemapForm['tileCache'])}
          >
            {TILE_CACHE_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {t(CACHE_MODE_NAME[mode], {
                  allowed: t(cacheAllowed ? 'basemap.cacheAllowed' : 'basemap.cacheForbidden'),
                })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('basemap.cacheMb')}
          <input
            name="tileCacheMb"
            inputMode="numeric"
            value={form.tileCacheMb}
            onChange={(e) => set('tileCacheMb', e.target.value)}
          />
        </label>
        <button type="submit" className="primary">
          {t('basemap.apply')}
        </button>
      </form>

      <h2>{t('basemap.offlineTitle')}</h2>
      {maps.length === 0 ? <p className="muted">{t('basemap.noOfflineMaps')}</p> : null}
      <ul className="offline-maps">
        {maps.map((m) => (
          <li key={m.id} data-map={m.id}>
            <span>
              {m.name}
              <br />
              <small>
                {t('basemap.mapInfo', {
                  crs: t(`crs.${m.crs}`),
                  min: m.minZoom,
                  max: m.maxZoom,
                  size: (m.bytes / 1024 / 1024).toFixed(1),
                })}
              </small>
            </span>
            {settings.basemap === `offline:${m.id}` ? (
              <small>{t('basemap.inUse')}</small>
            ) : (
              <button type="button" onClick={() => apply({ basemap: `offline:${m.id}` })}>
                {t('basemap.use')}
              </button>
            )}
            <button type="button" className="danger" onClick={() => remove(m)}>
              {t('basemap.remove')}
            </button>
          </li>
        ))}
      </ul>
      <div className="offline-import">
        <label>
          {t('basemap.importCrs')}
          <select
            name="importCrs"
            value={importCrs}
            onChange={(e) => setImportCrs(e.target.value as Crs | '')}
          >
            <option value="">{t('basemap.importCrsFromFile')}</option>
            {CRS_VALUES.map((c) => (
              <option key={c} value={c}>
                {t(`crs.${c}`)}
              </option>
            ))}
          </select>
        </label>
        {picksFilesItself() ? null : (
          <input
            key={fileInputKey}
            type="file"
            name="mbtiles"
            accept=".mbtiles"
            onChange={(e) => setFile(e.target.files?.[0] ?? undefined)}
          />
        )}
        <button
          type="button"
          className="import"
          disabled={progress !== undefined || (!picksFilesItself() && !file)}
          onClick={runImport}
        >
          {t('basemap.import')}
        </button>
        {progress !== undefined ? <progress className="upload-progress" value={progress} max={1} /> : null}
      </div>
      {message ? <p className={message.error ? 'form-error' : 'saved'}>{message.text}</p> : null}
    </section>
  );
}
