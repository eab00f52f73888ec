import type { TrackSettings } from '../../../contract/track/settings.js';
import { normalizeTrackSettings } from '../../../contract/track/settings.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { GapStyle } from './history-types.js';

/** Gap threshold, stop radius and minimum, and how gaps are drawn; values outside the limits are clamped. */
export function TrackSettingsForm({
  settings,
  gapStyle,
  onSettings,
  onGapStyle,
  disabled = false,
}: {
  /** While the columns are on their way: a re-cut needs every fix. */
  disabled?: boolean;
  settings: TrackSettings;
  gapStyle: GapStyle;
  onSettings: (settings: TrackSettings) => void;
  onGapStyle: (style: GapStyle) => void;
}) {
  const { t } = useI18n();
  const set = (key: keyof TrackSettings, value: number): void =>
    onSettings(normalizeTrackSettings({ ...settings, [key]: value }));
  return (
    <details className="track-settings">
      <summary>{t('history.settings')}</summary>
      {disabled ? <p className="hint">{t('history.settingsWait')}</p> : null}
      <fieldset className="track-settings-cut" disabled={disabled}>
        <label>
          {t('history.gapMinutes')}
          <input
            type="number"
            name="gapMinutes"
            min={1}
            max={1440}
            value={settings.gapMs / 60_000}
            onChange={(e) => set('gapMs', Number(e.target.value) * 60_000)}
          />
        </label>
        <label>
          {t('history.stopRadius')}
          <input
            type="number"
            name="stopRadius"
            min={5}
            max={1000}
            value={settings.stopRadiusM}
            onChange={(e) => set('stopRadiusM', Number(e.target.value))}
          />
        </label>
        <label>
          {t('history.stopMinutes')}
          <input
            type="number"
            name="stopMinutes"
            min={1}
            max={360}
            value={settings.stopMinMs / 60_000}
            onChange={(e) => set('stopMinMs', Number(e.target.value) * 60_000)}
          />
        </label>
      </fieldset>
      <label>
        {t('history.gapStyle')}
        <select name="gapStyle" value={gapStyle} onChange={(e) => onGapStyle(e.target.value as GapStyle)}>
          <option value="dashed">{t('history.gapDashed')}</option>
          <option value="hidden">{t('history.gapHidden')}</option>
        </select>
      </label>
    </details>
  );
}
