import { describe, expect, it } from 'vitest';
import type { SharingState } from '../lib/sharing';
import { TEXTS } from '../lib/texts';
import type { UploaderStatus } from '../lib/uploader';
import { shareView } from '../lib/view';

const NOW = new Date(2026, 10, 27, 10, 30, 0).getTime();
const idle: UploaderStatus = { state: 'idle', waiting: 0, dropped: 0, refused: 0, skipped: 0 };

describe('shareView', () => {
  it.each<[string, SharingState, UploaderStatus, Partial<ReturnType<typeof shareView>>]>([
    [
      'off',
      { sharing: false },
      idle,
      { sharing: false, headline: TEXTS.notSharing, lastSent: TEXTS.neverSent },
    ],
    ['on in background', { sharing: true, mode: 'background' }, idle, { headline: TEXTS.sharingBackground }],
    [
      'on in foreground only, with the fallback notice',
      { sharing: true, mode: 'foreground', notice: TEXTS.foregroundOnly },
      idle,
      { headline: TEXTS.sharingForeground, notice: TEXTS.foregroundOnly },
    ],
    [
      'offline with fixes waiting and some dropped',
      { sharing: true, mode: 'background' },
      { ...idle, state: 'offline', waiting: 42, dropped: 3 },
      { problem: TEXTS.offline, waiting: '42 条', dropped: '因存储已满丢弃最早的 3 条' },
    ],
    [
      'token refused',
      { sharing: true, mode: 'background' },
      { ...idle, state: 'token_refused' },
      { problem: TEXTS.tokenRefused },
    ],
    [
      'last fix sent today',
      { sharing: true, mode: 'background' },
      { ...idle, lastSent: { latitude: 23.123456, longitude: 113.3, ts: NOW - 5000, sentAt: NOW } },
      { lastSent: '10:29:55（23.12346, 113.30000）' },
    ],
    [
      'last fix sent another day',
      { sharing: false },
      { ...idle, lastSent: { latitude: 23.1, longitude: 113.3, ts: NOW - 86_400_000, sentAt: NOW } },
      { lastSent: '11月26日 10:30:00（23.10000, 113.30000）' },
    ],
  ])('%s', (_name, sharing, status, expected) => {
    expect(shareView(sharing, status, NOW)).toMatchObject(expected);
  });
});
