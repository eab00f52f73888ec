/**
 * The settings form's values and what they become: a `SettingsUpdate` with only what changed, or the message
 * key of the first problem. The station validates again; this gives the dispatcher the reason before a round trip.
 */
import type { Locale, SettingsUpdate, StationSettings } from '../../../contract/station-api.js';
import type { MessageKey } from '../i18n/translate.js';

export interface SettingsForm {
  relayUrl: string;
  /** Empty means "keep the stored token": the token is write-only and never shown. */
  token: string;
  retentionDays: string;
  locale: Locale;
}

export function formFromSettings(settings: StationSettings): SettingsForm {
  return {
    relayUrl: settings.relayUrl,
    token: '',
    retentionDays: String(settings.retentionDays),
    locale: settings.locale,
  };
}

export type FormResult = { ok: true; update: SettingsUpdate } | { ok: false; error: MessageKey };

export function updateFromForm(form: SettingsForm, current: StationSettings): FormResult {
  const update: SettingsUpdate = {};
  const relayUrl = form.relayUrl.trim();
  if (relayUrl !== current.relayUrl) {
    if (relayUrl !== '' && !/^wss?:\/\/[^\s/]+/i.test(relayUrl))
      return { ok: false, error: 'settings.badRelayUrl' };
    update.relayUrl = relayUrl;
  }
  const days = Number(form.retentionDays.trim());
  if (form.retentionDays.trim() === '' || !Number.isInteger(days) || days < 0 || days > 36_500) {
    return { ok: false, error: 'settings.badRetention' };
  }
  if (days !== current.retentionDays) update.retentionDays = days;
  if (form.token.trim() !== '') update.token = form.token.trim();
  if (form.locale !== current.locale) update.locale = form.locale;
  return { ok: true, update };
}
