/** The live-view part of the settings tab: stale and offline thresholds, desktop notifications. */
import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/I18nProvider.js';
import { errorText } from '../i18n/error-text.js';
import { livePrefsFromForm, type LivePrefs, type LivePrefsFormError } from './live-prefs.js';

const minutes = (ms: number): string => String(Math.round((ms / 60_000) * 100) / 100);

export function LivePrefsForm({
  prefs,
  onSave,
}: {
  prefs: LivePrefs;
  /** Saves them as station settings; rejects with the station's error. */
  onSave: (prefs: LivePrefs) => Promise<void>;
}) {
  const { t } = useI18n();
  const [stale, setStale] = useState(() => minutes(prefs.staleAfterMs));
  const [offline, setOffline] = useState(() => minutes(prefs.offlineAfterMs));
  const [notify, setNotify] = useState(prefs.desktopNotifications);
  const [message, setMessage] = useState<LivePrefsFormError | 'prefs.saved' | undefined>();
  const [failure, setFailure] = useState<string | undefined>();

  const save = (event: FormEvent): void => {
    event.preventDefault();
    const result = livePrefsFromForm({
      staleMinutes: stale,
      offlineMinutes: offline,
      desktopNotifications: notify,
    });
    setFailure(undefined);
    if (!result.ok) {
      setMessage(result.error);
      return;
    }
    setMessage(undefined);
    onSave(result.prefs).then(
      () => setMessage('prefs.saved'),
      (error: unknown) => setFailure(errorText(t, error)),
    );
  };

  return (
    <form className="live-prefs" onSubmit={save} aria-label={t('prefs.title')}>
      <h2>{t('prefs.title')}</h2>
      <label>
        {t('prefs.staleMinutes')}
        <input
          name="staleMinutes"
          inputMode="decimal"
          value={stale}
          onChange={(e) => setStale(e.target.value)}
        />
      </label>
      <label>
        {t('prefs.offlineMinutes')}
        <input
          name="offlineMinutes"
          inputMode="decimal"
          value={offline}
          onChange={(e) => setOffline(e.target.value)}
        />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} />
        {t('prefs.desktopNotifications')}
      </label>
      <button type="submit" className="primary">
        {t('settings.save')}
      </button>
      {message ? <p className={message === 'prefs.saved' ? 'saved' : 'form-error'}>{t(message)}</p> : null}
      {failure ? <p className="form-error">{failure}</p> : null}
    </form>
  );
}
