/**
 * The station API over the browser host: HTTP for calls, one websocket for pushed events. Browser-safe (no node
 * imports): the renderer does `window.lodestar ?? connectWebStation(window.location)` and never knows which host
 * it runs in.
 *
 * The per-run secret arrives in the URL fragment the host printed (`#key=…`); fragments are never sent to a
 * server, so it stays out of every log. It is kept in sessionStorage so a reload after the fragment changed
 * still works.
 */
import type { StationApi, Unsubscribe } from '../core/api.js';
import {
  SUBSCRIPTIONS,
  type EventName,
  type EventPayloads,
  type InvokeMethod,
} from '../core/channels/map.js';
import { decodeWire, encodeWire } from '../core/channels/wire.js';
import { CALL_PATH, EVENTS_PATH, KEY_FRAGMENT_PARAM, KEY_HEADER, type CallReply } from './wire-protocol.js';

const STORAGE_KEY = 'lodestar.webKey';

/** An error from the station with its stable code (`unauthorized`, `bad_request`, a core code, …). */
export class StationCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StationCallError';
  }
}

export function readKey(location: Pick<Location, 'hash'>, storage?: Storage): string | undefined {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get(KEY_FRAGMENT_PARAM);
  if (fromHash) {
    try {
      storage?.setItem(STORAGE_KEY, fromHash);
    } catch {
      // Storage may be disabled (private mode); the fragment still works for this page.
    }
    return fromHash;
  }
  try {
    return storage?.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export interface WebStationOptions {
  /** WebSocket constructor (tests under Node pass `ws`); defaults to the browser's. */
  WebSocket?: typeof WebSocket;
  fetch?: typeof fetch;
  storage?: Storage;
}

export function connectWebStation(location: Location, options: WebStationOptions = {}): StationApi {
  const storage = options.storage ?? (typeof sessionStorage === 'undefined' ? undefined : sessionStorage);
  const key = readKey(location, storage) ?? '';
  const doFetch = options.fetch ?? fetch.bind(globalThis);
  const WS = options.WebSocket ?? WebSocket;
  const origin = location.origin;

  async function call<M extends InvokeMethod>(method: M, args: unknown[]): Promise<never> {
    const response = await doFetch(`${origin}${CALL_PATH}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [KEY_HEADER]: key },
      body: encodeWire({ args }),
    });
    const reply = decodeWire(await response.text()) as CallReply;
    if (!response.ok || !reply.ok) {
      throw new StationCallError(
        reply.error?.code ?? 'internal',
        reply.error?.message ?? `HTTP ${response.status}`,
      );
    }
    return reply.result as never;
  }

  const listeners: { [E in EventName]: Set<(payload: EventPayloads[E]) => void> } = {
    status: new Set(),
    fixes: new Set(),
    exportProgress: new Set(),
  };
  let socket: WebSocket | undefined;
  let retry = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const listenerCount = (): number =>
    listeners.status.size + listeners.fixes.size + listeners.exportProgress.size;

  function openEvents(): void {
    if (socket || listenerCount() === 0) return;
    const url = new URL(EVENTS_PATH, origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WS(url.toString());
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', key }));
    ws.onmessage = (event: MessageEvent) => {
      const frame = decodeWire(String(event.data)) as { type?: string; event?: EventName; payload?: unknown };
      if (frame.type === 'ready') {
        retry = 0;
        // Events may have been missed while disconnected: the current status is worth re-reading.
        void call('getStatus', []).then(
          (status) => emit('status', status),
          () => undefined,
        );
      } else if (frame.type === 'event' && frame.event && frame.event in listeners) {
        emit(frame.event, frame.payload as never);
      }
    };
    ws.onclose = () => {
      socket = undefined;
      if (listenerCount() === 0) return;
      const delay = Math.min(10_000, 250 * 2 ** retry++) * Math.random();
      retryTimer = setTimeout(openEvents, delay);
    };
  }

  function emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const listener of listeners[event]) {
      try {
        listener(payload);
      } catch (error) {
        console.error(`station ${event} listener failed`, error);
      }
    }
  }

  function subscribe<E extends EventName>(
    event: E,
    listener: (payload: EventPayloads[E]) => void,
  ): Unsubscribe {
    listeners[event].add(listener);
    openEvents();
    return () => {
      listeners[event].delete(listener);
      if (listenerCount() === 0) {
        if (retryTimer) clearTimeout(retryTimer);
        socket?.close();
        socket = undefined;
      }
    };
  }

  return {
    getStatus: () => call('getStatus', []),
    onStatus: (listener) => subscribe(SUBSCRIPTIONS.onStatus, listener),
    onFixes: (listener) => subscribe(SUBSCRIPTIONS.onFixes, listener),
    listWatched: () => call('listWatched', []),
    watch: (uid, opts) => call('watch', opts === undefined ? [uid] : [uid, opts]),
    unwatch: (uid) => call('unwatch', [uid]),
    updateMember: (uid, changes) => call('updateMember', [uid, changes]),
    listMembers: () => call('listMembers', []),
    latest: (uids) => call('latest', uids === undefined ? [] : [uids]),
    queryRange: (query) => call('queryRange', [query]),
    stats: (query) => call('stats', [query]),
    exportTrack: (request) => call('exportTrack', [request]),
    onExportProgress: (listener) => subscribe(SUBSCRIPTIONS.onExportProgress, listener),
    getSettings: () => call('getSettings', []),
    updateSettings: (update) => call('updateSettings', [update]),
  };
}
