/**
 * The station API over the browser host: HTTP for calls, one websocket for pushed events. Browser-safe (no node
 * imports): the renderer does `window.lodestar ?? connectWebStation(window.location)` and never knows which host
 * it runs in.
 *
 * The per-run secret arrives in the URL fragment the host printed (`#key=…`); fragments are never sent to a
 * server, so it stays out of every log. It is kept in sessionStorage so a reload after the fragment changed
 * still works.
 */
import { stationApiOver, type TypedInvoke } from '../../../contract/bridge.js';
import type { CallReply } from '../../../contract/call-reply.js';
import { EVENT_NAMES, type EventName, type EventPayloads } from '../../../contract/channels.js';
import { errorCodeOf, StationError } from '../../../contract/errors.js';
import type { StationApi, StationStatus, StatusCode, Unsubscribe } from '../../../contract/station-api.js';
import { CALL_PATH, EVENTS_PATH, KEY_FRAGMENT_PARAM, KEY_HEADER } from '../../../contract/web-protocol.js';
import { decodeWireBinary, WIRE_BINARY_TYPE } from '../../../contract/wire-binary.js';
import { backoffDelay } from '../../../protocol/backoff.js';
import { decodeWire, encodeWire } from '../../../contract/wire-codec.js';

/** Reopening the event socket: quick at first (a reload of the host), at most every 10 s. */
const EVENT_SOCKET_BACKOFF = { baseMs: 250, maxMs: 10_000 };
const STORAGE_KEY = 'lodestar.webKey';

/**
 * How often the page checks that its host still answers, and how long one check may take. A host that died
 * closes the event socket at once; a host cut off by the network (no FIN, a half-open socket) is only noticed
 * by a call that gets no answer: check + timeout stays under 5 s.
 */
export const HOST_CHECK_MS = 2000;
export const HOST_TIMEOUT_MS = 2500;

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
  /** Interval of the host check (tests shorten it). */
  hostCheckMs?: number;
}

export function connectWebStation(location: Location, options: WebStationOptions = {}): StationApi {
  const storage = options.storage ?? (typeof sessionStorage === 'undefined' ? undefined : sessionStorage);
  const key = readKey(location, storage) ?? '';
  const doFetch = options.fetch ?? fetch.bind(globalThis);
  const WS = options.WebSocket ?? WebSocket;
  const origin = location.origin;

  const hostCheckMs = options.hostCheckMs ?? HOST_CHECK_MS;

  const callWith = async (method: string, args: unknown[], signal?: AbortSignal): Promise<never> => {
    let response: Response;
    try {
      response = await doFetch(`${origin}${CALL_PATH}${method}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: `${WIRE_BINARY_TYPE}, application/json`,
          [KEY_HEADER]: key,
        },
        body: encodeWire({ args }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      throw new StationError('host_unreachable', String((error as Error).message ?? error));
    }
    let reply: CallReply | undefined;
    try {
      reply = (
        response.headers.get('content-type') === WIRE_BINARY_TYPE
          ? decodeWireBinary(await response.arrayBuffer())
          : decodeWire(await response.text())
      ) as CallReply;
    } catch {
      reply = undefined;
    }
    if (!reply) throw new StationError('host_unreachable', `HTTP ${response.status} without a station reply`);
    if (!reply.ok) throw new StationError(reply.error.code, reply.error.message);
    return reply.result as never;
  };
  const call: TypedInvoke = (method, args) => callWith(method, args);

  const listeners = Object.fromEntries(EVENT_NAMES.map((name) => [name, new Set()])) as {
    [E in EventName]: Set<(payload: EventPayloads[E]) => void>;
  };
  let socket: WebSocket | undefined;
  let retry = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const listenerCount = (): number => EVENT_NAMES.reduce((sum, name) => sum + listeners[name].size, 0);

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
      // A closed event socket is the first sign of a host that went away: check now, not at the next tick.
      void checkHost();
      const delay = backoffDelay(retry++, EVENT_SOCKET_BACKOFF);
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

  // The host check: while anyone listens for status, the page asks its host for the status every
  // hostCheckMs. Losing the host shows as status `offline` with code `host_unreachable` (or the refusal's code,
  // e.g. a restarted host with a new key), with the next check as `nextRetryAt`; an answer again re-emits the
  // station's real status and reopens the event socket.
  let hostTimer: ReturnType<typeof setInterval> | undefined;
  let checking = false;
  let lostSince: number | undefined;

  async function checkHost(): Promise<void> {
    if (checking || listeners.status.size === 0) return;
    checking = true;
    const abort = new AbortController();
    const timeout = setTimeout(() => abort.abort(), HOST_TIMEOUT_MS);
    try {
      const status = (await callWith('getStatus', [], abort.signal)) as StationStatus;
      if (lostSince !== undefined) {
        lostSince = undefined;
        emit('status', status);
        openEvents();
      }
    } catch (error) {
      lostSince ??= Date.now();
      emit('status', {
        state: 'offline',
        // Not a relay status code: the page's own (host_unreachable, or a refusal such as unauthorized).
        // STATUS_CODES does not list these yet, hence the cast; status-code-text.ts translates both.
        code: errorCodeOf(error) as StatusCode,
        since: lostSince,
        nextRetryAt: Date.now() + hostCheckMs,
      });
    } finally {
      clearTimeout(timeout);
      checking = false;
    }
  }

  function watchHost(): void {
    if (hostTimer || listeners.status.size === 0) return;
    hostTimer = setInterval(() => void checkHost(), hostCheckMs);
  }

  function subscribe<E extends EventName>(
    event: E,
    listener: (payload: EventPayloads[E]) => void,
  ): Unsubscribe {
    listeners[event].add(listener);
    openEvents();
    watchHost();
    return () => {
      listeners[event].delete(listener);
      if (listeners.status.size === 0 && hostTimer) {
        clearInterval(hostTimer);
        hostTimer = undefined;
      }
      if (listenerCount() === 0) {
        if (retryTimer) clearTimeout(retryTimer);
        socket?.close();
        socket = undefined;
      }
    };
  }

  return stationApiOver(call, subscribe);
}
