/**
 * The first run's question: which basemap? Fixes are drawn in the basemap's coordinate system, so the station
 * asks instead of guessing, offering Gaode roads. Everything else (keys, offline maps, the cache) is in Settings.
 */
import { useState } from 'react';
import { BASEMAP_PRESETS, DEFAULT_OFFERED_BASEMAP } from '../../../contract/basemaps/presets.js';
import type { BasemapChoice } from '../../../contract/basemaps/active.js';
import type { StationApi, StationSettings } from '../../../contract/station-api.js';
import { errorText } from '../i18n/error-text.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { PRESET_NAME } from '../settings/basemap-names.js';
import './basemap.css';

export function BasemapPicker({
  station,
  onSaved,
}: {
  station: StationApi;
  onSaved: (settings: StationSettings) => void;
}) {
  const { t } = useI18n();
  const [choice, setChoice] = useState<BasemapChoice>(DEFAULT_OFFERED_BASEMAP);
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>();
  const needsKey = BASEMAP_PRESETS.find((p) => p.id === choice)?.needsKey ?? false;

  const use = (): void => {
    if (needsKey && !/^[A-Za-z0-9]{8,64}$/.test(key.trim())) {
      setError(t('basemap.badTiandituKey'));
      return;
    }
    station
      .updateSettings({ basemap: choice, ...(needsKey ? { tiandituKey: key.trim() } : {}) })
      .then(onSaved, (e: unknown) => setError(errorText(t, e)));
  };

  return (
    <div className="basemap-picker" role="dialog" aria-label={t('basemap.firstRunTitle')}>
      <h2>{t('basemap.firstRunTitle')}</h2>
      <p>{t('basemap.firstRunText')}</p>
      <div className="basemap-choices" role="radiogroup">
        {[
          ...BASEMAP_PRESETS.map((p) => ({
            id: p.id as BasemapChoice,
            name: t(PRESET_NAME[p.id]),
            crs: p.crs,
          })),
          { id: 'none' as BasemapChoice, name: t('basemap.none'), crs: undefined },
        ].map((option) => (
          <label key={option.id}>
            <input
              type="radio"
              name="first-basemap"
              value={option.id}
              checked={choice === option.id}
              onChange={() => setChoice(option.id)}
            />
            {option.name}
            {option.crs ? <small>{t(`crs.${option.crs}`)}</small> : null}
          </label>
        ))}
      </div>
      {needsKey ? (
        <label>
          {t('basemap.tiandituKey')}
          <input
            name="firstTiandituKey"
            autoComplete="off"
            value={key}
            onChange={(e) => setKey(e.target.value)}
          />
          <small>{t('basemap.tiandituKeyHint')}</small>
        </label>
      ) : null}
      <button type="button" className="primary" onClick={use}>
        {t('basemap.apply')}
      </button>
      {error ? <p className="form-error">{error}</p> : null}
    </div>
  );
}
