import { describe, expect, it } from 'vitest';
import { DEFAULT_LIVE_PREFS, livePrefsFromForm, parseLivePrefs } from './live-prefs.js';

describe('parseLivePrefs', () => {
  it.each([
    ['nothing stored', null, DEFAULT_LIVE_PREFS],
    ['not JSON', '{oops', DEFAULT_LIVE_PREFS],
    ['an array', '[1,2]', DEFAULT_LIVE_PREFS],
    [
      'valid values',
      '{"staleAfterMs":60000,"offlineAfterMs":300000,"desktopNotifications":false}',
      { staleAfterMs: 60_000, offlineAfterMs: 300_000, desktopNotifications: false },
    ],
    [
      'too small and wrong types fall back per field',
      '{"staleAfterMs":5,"offlineAfterMs":"x","desktopNotifications":"yes"}',
      DEFAULT_LIVE_PREFS,
    ],
    [
      'stale past offline is clamped to offline',
      '{"staleAfterMs":900000,"offlineAfterMs":300000}',
      { staleAfterMs: 300_000, offlineAfterMs: 300_000, desktopNotifications: true },
    ],
  ] as const)('%s', (_name, raw, expected) => {
    expect(parseLivePrefs(raw)).toEqual(expected);
  });
});

describe('livePrefsFromForm', () => {
  it.each([
    [
      '2',
      '10',
      true,
      { ok: true, prefs: { staleAfterMs: 120_000, offlineAfterMs: 600_000, desktopNotifications: true } },
    ],
    [
      '0.5',
      '1.5',
      false,
      { ok: true, prefs: { staleAfterMs: 30_000, offlineAfterMs: 90_000, desktopNotifications: false } },
    ],
    ['', '10', true, { ok: false, error: 'prefs.badMinutes' }],
    ['-1', '10', true, { ok: false, error: 'prefs.badMinutes' }],
    ['0', '10', true, { ok: false, error: 'prefs.badMinutes' }],
    ['2', '99999', true, { ok: false, error: 'prefs.badMinutes' }],
    ['12', '10', true, { ok: false, error: 'prefs.staleAfterOffline' }],
  ] as const)(
    'stale %s min, offline %s min, notify %s',
    (staleMinutes, offlineMinutes, desktopNotifications, expected) => {
      expect(livePrefsFromForm({ staleMinutes, offlineMinutes, desktopNotifications })).toEqual(expected);
    },
  );
});
