import { useState } from 'react';
import type { TrackSettings } from '../../../contract/track/settings.js';
import { normalizeTrackSettings } from '../../../contract/track/settings.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { GapStyle } from './history-types.js';
import { fieldRange, fieldText, parseField, type SettingField } from './setting-input.js';

const FIELDS: readonly { field: SettingField; name: string; label: MessageKey }[] = [
  { field: 'gapMs', name: 'gapMinutes', label: 'history.gapMinutes' },
  { field: 'stopRadiusM', name: 'stopRadius', label: 'history.stopRadius' },
  { field: 'stopMinMs', name: 'stopMinutes', label: 'history.stopMinutes' },
];

/**
 * Gap threshold, stop radius and minimum, and how gaps are drawn. A value outside the contract's limits is not
 * applied: the field keeps what was typed, says the allowed range, and the figures keep the last valid settings.
 */
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
  // What the dispatcher typed, per field, while it is not a valid setting (undefined: show the setting).
  const [drafts, setDrafts] = useState<Partial<Record<SettingField, string>>>({});
  const change = (field: SettingField, text: string): void => {
    const value = parseField(field, text);
    if (value === undefined) {
      setDrafts((d) => ({ ...d, [field]: text }));
      return;
    }
    setDrafts((d) => ({ ...d, [field]: undefined }));
    onSettings(normalizeTrackSettings({ ...settings, [field]: value }));
  };
  return (
    <details className="track-settings">
      <summary>{t('history.settings')}</summary>
      {disabled ? <p className="hint">{t('history.settingsWait')}</p> : null}
      <fieldset className="track-settings-cut" disabled={disabled}>
        {FIELDS.map(({ field, name, label }) => {
          const [min, max] = fieldRange(field);
          const draft = drafts[field];
          const errorId = `track-setting-${name}-error`;
          return (
            <label key={field}>
              {t(label)}
              <input
                type="number"
                name={name}
                min={min}
                max={max}
                step="any"
                value={draft ?? fieldText(field, settings)}
                aria-invalid={draft !== undefined}
                aria-describedby={draft !== undefined ? errorId : undefined}
                onChange={(e) => change(field, e.target.value)}
              />
              {draft !== undefined ? (
                <small className="form-error" id={errorId} role="alert">
                  {t('history.settingRange', { min, max, current: fieldText(field, settings) })}
                </small>
              ) : null}
            </label>
          );
        })}
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
