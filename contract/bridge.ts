/**
 * One function builds the StationApi object over any transport: the Electron preload passes its IPC invoke and
 * subscribe, the browser host's client its HTTP call and event socket. Each method is generated from the channel
 * map, so a new StationApi method only needs a channel entry, and no host can swap or drop an argument.
 */
import {
  INVOKE_METHODS,
  SUBSCRIPTIONS,
  type EventName,
  type EventPayloads,
  type InvokeArgs,
  type InvokeMethod,
  type InvokeResult,
} from './channels.js';
import type { StationApi, Unsubscribe } from './station-api.js';

export type TypedInvoke = <M extends InvokeMethod>(
  method: M,
  args: InvokeArgs<M>,
) => Promise<InvokeResult<M>>;
export type TypedSubscribe = <E extends EventName>(
  event: E,
  listener: (payload: EventPayloads[E]) => void,
) => Unsubscribe;

/** Optional trailing arguments left out by the caller must not travel as `null` (JSON has no undefined). */
export function withoutTrailingUndefined(args: readonly unknown[]): unknown[] {
  let length = args.length;
  while (length > 0 && args[length - 1] === undefined) length--;
  return args.slice(0, length);
}

export function stationApiOver(invoke: TypedInvoke, subscribe: TypedSubscribe): StationApi {
  const api: Record<string, unknown> = {};
  for (const method of INVOKE_METHODS) {
    api[method] = (...args: unknown[]) => invoke(method, withoutTrailingUndefined(args) as never);
  }
  for (const [method, event] of Object.entries(SUBSCRIPTIONS) as [string, EventName][]) {
    api[method] = (listener: (payload: EventPayloads[typeof event]) => void) => subscribe(event, listener);
  }
  return api as unknown as StationApi;
}

/**
 * Forward every event of a station to a host's push function (one loop over the subscription list, so a new
 * event reaches every host). Returns the unsubscribe functions.
 */
export function forwardStationEvents(
  station: StationApi,
  push: <E extends EventName>(event: E, payload: EventPayloads[E]) => void,
): Unsubscribe[] {
  return (Object.entries(SUBSCRIPTIONS) as [keyof typeof SUBSCRIPTIONS, EventName][]).map(([method, event]) =>
    (station[method] as (listener: (payload: unknown) => void) => Unsubscribe)((payload) =>
      push(event, payload as never),
    ),
  );
}
