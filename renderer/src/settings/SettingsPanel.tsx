import { useState, type FormEvent } from 'react';
import { LOCALES, type StationApi, type StationSettings } from '../../../contract/station-api.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { LOCALE_NAMES, type MessageKey, type MessageParams } from '../i18n/translate.js';
import { formFromSettings, updateFromForm, type SettingsForm } from './settings-form.js';

export function SettingsPanel({
  station,
  settings,
  onSaved,
}: {
  station: StationApi;
  settings: StationSettings;
  onSaved: (settings: StationSettings) => void;
}) {
  const { t } = useI18n();
  const [form, setForm] = useState<SettingsForm>(() => formFromSettings(settings));
  // Kept as a key, not text, so a language change by this very save shows the message in the new language.
  const [message, setMessage] = useState<
    { key: MessageKey; params?: MessageParams; error: boolean } | undefined
  >();
  const set = <K extends keyof SettingsForm>(key: K, value: SettingsForm[K]): void =>
    setForm((f) => ({ ...f, [key]: value }));

  const save = (event: FormEvent): void => {
    event.preventDefault();
    const result = updateFromForm(form, settings);
    if (!result.ok) {
      setMessage({ key: result.error, error: true });
      return;
    }
    station.updateSettings(result.update).then(
      (next) => {
        setForm(formFromSettings(next));
        setMessage({ key: 'settings.saved', error: false });
        onSaved(next);
      },
      (e: unknown) =>
        setMessage({
          key: 'settings.failed',
          params: { message: String((e as Error).message ?? e) },
          error: true,
        }),
    );
  };

  return (
    <form className="settings" onSubmit={save} aria-label={t('settings.title')}>
      <h2>{t('settings.title')}</h2>
      <label>
        {t('settings.relayUrl')}
        <input
          name="relayUrl"
          value={form.relayUrl}
          placeholder="ws://127.0.0.1:30582"
          onChange={(e) => set('relayUrl', e.target.value)}
        />
        <small>{t('settings.relayUrlHint')}</small>
      </label>
      <label>
        {t('settings.token')}
        <input
          name="token"
          type="password"
          autoComplete="off"
          value={form.token}
          onChange={(e) => set('token', e.target.value)}
        />
        <small>{settings.hasToken ? t('settings.tokenStored') : t('settings.tokenMissing')}</small>
      </label>
      <label>
        {t('settings.retentionDays')}
        <input
          name="retentionDays"
          inputMode="numeric"
          value={form.retentionDays}
          onChange={(e) => set('retentionDays', e.target.value)}
        />
      </label>
      <label>
        {t('settings.language')}
        <select
          name="locale"
          value={form.locale}
          onChange={(e) => set('locale', e.target.value as SettingsForm['locale'])}
        >
          {LOCALES.map((l) => (
            <option key={l} value={l}>
              {LOCALE_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary">
        {t('settings.save')}
      </button>
      {message ? (
        <p className={message.error ? 'form-error' : 'saved'}>{t(message.key, message.params)}</p>
      ) : null}
    </form>
  );
}
