import { DEFAULT_LIVE_SETTINGS } from '../../../contract/live-settings.js';
import { describe, expect, it } from 'vitest';
import type { StationSettings } from '../../../contract/station-api.js';
import { formFromSettings, updateFromForm, type SettingsForm } from './settings-form.js';

const current: StationSettings = {
  relayUrl: 'ws://127.0.0.1:30582',
  hasToken: true,
  retentionDays: 365,
  locale: 'zh-CN',
  basemapCrs: 'gcj02',
  tileUrl: '',
  basemap: '',
  tiandituKey: '',
  tileCache: 'auto',
  tileCacheMb: 256,
  ...DEFAULT_LIVE_SETTINGS,
};
const form = (over: Partial<SettingsForm>): SettingsForm => ({ ...formFromSettings(current), ...over });

describe('updateFromForm', () => {
  it.each([
    ['nothing changed', form({}), { ok: true, update: {} }],
    ['new token, trimmed', form({ token: ' abc ' }), { ok: true, update: { token: 'abc' } }],
    ['language', form({ locale: 'en' }), { ok: true, update: { locale: 'en' } }],
    [
      'relay url',
      form({ relayUrl: 'wss://relay.example/ws' }),
      { ok: true, update: { relayUrl: 'wss://relay.example/ws' } },
    ],
    ['relay url cleared', form({ relayUrl: '' }), { ok: true, update: { relayUrl: '' } }],
    ['http relay url', form({ relayUrl: 'http://relay' }), { ok: false, error: 'settings.badRelayUrl' }],
    ['retention 0', form({ retentionDays: '0' }), { ok: true, update: { retentionDays: 0 } }],
    ['retention fractional', form({ retentionDays: '1.5' }), { ok: false, error: 'settings.badRetention' }],
    ['retention empty', form({ retentionDays: ' ' }), { ok: false, error: 'settings.badRetention' }],
    ['retention too large', form({ retentionDays: '40000' }), { ok: false, error: 'settings.badRetention' }],
  ] as const)('%s', (_name, input, expected) => {
    expect(updateFromForm(input, current)).toEqual(expected);
  });

  it('never puts the token into the form', () => {
    expect(formFromSettings(current).token).toBe('');
  });
});
