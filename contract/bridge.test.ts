import { describe, expect, it } from 'vitest';
import { forwardStationEvents, stationApiOver, withoutTrailingUndefined } from './bridge.js';
import { EVENT_NAMES, INVOKE_METHODS, SUBSCRIPTIONS, type EventName } from './channels.js';

describe('withoutTrailingUndefined', () => {
  it.each([
    [[], []],
    [['42'], ['42']],
    [['42', undefined], ['42']],
    [[undefined], []],
    [
      ['42', undefined, { a: 1 }],
      ['42', undefined, { a: 1 }],
    ],
  ])('%j → %j', (args, expected) => {
    expect(withoutTrailingUndefined(args)).toEqual(expected);
  });
});

describe('stationApiOver', () => {
  const calls: { method: string; args: unknown[] }[] = [];
  const subscribed: string[] = [];
  const api = stationApiOver(
    (method, args) => {
      calls.push({ method, args: args as unknown[] });
      return Promise.resolve(`result of ${method}` as never);
    },
    (event) => {
      subscribed.push(event);
      return () => subscribed.splice(subscribed.indexOf(event), 1);
    },
  );

  it('has one method per invoke channel and per subscription', () => {
    for (const method of [...INVOKE_METHODS, ...Object.keys(SUBSCRIPTIONS)]) {
      expect(typeof (api as unknown as Record<string, unknown>)[method]).toBe('function');
    }
  });

  it.each([
    ['watch', () => api.watch('42'), ['42']],
    ['watch', () => api.watch('42', { label: 'Van' }), ['42', { label: 'Van' }]],
    ['latest', () => api.latest(), []],
    ['latest', () => api.latest(['1', '2']), [['1', '2']]],
    ['updateMember', () => api.updateMember('7', { color: '#fff' }), ['7', { color: '#fff' }]],
  ] as const)('%s passes its arguments in order', async (method, run, args) => {
    calls.length = 0;
    await expect(run()).resolves.toBe(`result of ${method}`);
    expect(calls).toEqual([{ method, args }]);
  });

  it('subscribes each event through the subscription map and returns the unsubscribe', () => {
    const off = [
      api.onStatus(() => undefined),
      api.onFixes(() => undefined),
      api.onExportProgress(() => undefined),
      api.onAlerts(() => undefined),
    ];
    expect(subscribed.sort()).toEqual([...EVENT_NAMES].sort());
    for (const unsubscribe of off) unsubscribe();
    expect(subscribed).toEqual([]);
  });
});

describe('forwardStationEvents', () => {
  it('forwards every event of a station to the push function', () => {
    const listeners = new Map<EventName, (payload: unknown) => void>();
    const station = stationApiOver(
      () => Promise.reject(new Error('not used')),
      (event, listener) => {
        listeners.set(event, listener as (payload: unknown) => void);
        return () => listeners.delete(event);
      },
    );
    const pushed: [string, unknown][] = [];
    const off = forwardStationEvents(station, (event, payload) => pushed.push([event, payload]));
    for (const event of EVENT_NAMES) listeners.get(event)?.({ from: event });
    expect(pushed).toEqual(EVENT_NAMES.map((event) => [event, { from: event }]));
    for (const unsubscribe of off) unsubscribe();
    expect(listeners.size).toBe(0);
  });
});
