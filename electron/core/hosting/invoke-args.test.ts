import { describe, expect, it } from 'vitest';
import { parseInvokeArgs } from './invoke-args.js';
import { INVOKE_METHODS, isInvokeMethod } from '../../../contract/channels.js';

describe('parseInvokeArgs', () => {
  it.each([
    ['getStatus', [], true],
    ['getStatus', ['extra'], false],
    ['watch', ['42'], true],
    ['watch', ['42', { label: 'Van', color: '#ff0000' }], true],
    ['watch', ['42', { color: 'url(javascript:x)' }], false],
    ['watch', ['not a uid'], false],
    ['unwatch', [], false],
    ['latest', [], true],
    ['latest', [['42', '43']], true],
    ['latest', [[42]], false],
    ['queryRange', [{ uid: '42', from: 0, to: 10, maxPoints: 500 }], true],
    ['queryRange', [{ uid: '42', from: -1, to: 10 }], false],
    ['queryRange', [{ uid: '42', from: 0, to: 1.5 }], false],
    ['stats', [{ uid: '42', from: 10, to: 0 }], false],
    ['historyOverview', [{ uid: '42', from: 0, to: 10 }], true],
    [
      'historyOverview',
      [{ uid: '42', from: 0, to: 10, settings: { gapMs: 600_000, stopRadiusM: 20 } }],
      true,
    ],
    ['historyOverview', [{ uid: '42', from: 10, to: 0 }], false],
    ['historyOverview', [{ uid: '42', from: 0, to: 10, settings: { gapMs: 1 } }], false],
    ['historyOverview', [{ uid: '42', from: 0, to: 10, settings: { colour: 1 } }], false],
    ['historyOverview', [{ uid: '42', from: 0, to: 10, maxPoints: 500 }], false],
    ['historyOverview', [{ uid: '4 2', from: 0, to: 10 }], false],
    ['historyOverview', [], false],
    ['prepareHistory', [{ from: 0, to: 86_399_999 }], true],
    ['prepareHistory', [{ from: 0, to: 10, settings: { stopRadiusM: 20 } }], true],
    ['prepareHistory', [{ from: 10, to: 0 }], false],
    ['prepareHistory', [{ uid: '42', from: 0, to: 10 }], false],
    ['prepareHistory', [{ from: 0, to: 10, settings: { gapMs: 1 } }], false],
    ['prepareHistory', [{ from: -5, to: 10 }], false],
    ['prepareHistory', [], false],
    ['exportTrack', [{ uids: ['42'], from: 0, to: 10, format: 'gpx' }], true],
    ['exportTrack', [{ uids: ['42', '43'], from: 0, to: 10, format: 'csv', utcOffsetMinutes: 480 }], true],
    ['exportTrack', [{ uids: ['42'], from: 0, to: 10, format: 'kml', settings: { gapMs: 600_000 } }], true],
    ['exportTrack', [{ uids: ['42'], from: 0, to: 10, format: 'exe' }], false],
    ['exportTrack', [{ uids: [], from: 0, to: 10, format: 'gpx' }], false],
    ['exportTrack', [{ uids: ['42', '42'], from: 0, to: 10, format: 'gpx' }], false],
    ['exportTrack', [{ uids: ['42'], from: 10, to: 0, format: 'gpx' }], false],
    ['exportTrack', [{ uids: ['42'], from: 0, to: 10, format: 'gpx', settings: { gapMs: 1 } }], false],
    ['exportTrack', [{ uids: ['42'], from: 0, to: 10, format: 'gpx', utcOffsetMinutes: 100_000 }], false],
    ['updateSettings', [{ relayUrl: 'wss://relay:30582', retentionDays: 30 }], true],
    ['updateSettings', [{ relayUrl: 'http://relay' }], false],
    ['updateSettings', [{ hasToken: true }], false],
    ['updateSettings', [{ locale: 'fr' }], false],
    ['listAlerts', [], true],
    ['raiseAlerts', [[{ uid: '42', at: 1_700_000_000_000, lastTs: 1_699_999_000_000 }]], true],
    ['raiseAlerts', [[{ uid: '42', at: 1 }]], false],
    ['raiseAlerts', [[{ uid: '42', at: 1, lastTs: 0, read: true }]], false],
    ['raiseAlerts', [Array.from({ length: 201 }, () => ({ uid: '42', at: 1, lastTs: 0 }))], false],
    ['clearAlerts', [], true],
  ] as const)('%s(%j) ok=%s', (method, args, ok) => {
    const parsed = parseInvokeArgs(method, args);
    expect(parsed.ok).toBe(ok);
    if (!parsed.ok) expect(parsed.reason).toBe('bad_request');
  });

  it('knows every method', () => {
    expect(INVOKE_METHODS.every(isInvokeMethod)).toBe(true);
    expect(isInvokeMethod('constructor')).toBe(false);
  });
});
