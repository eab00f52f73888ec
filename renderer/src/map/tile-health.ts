/**
 * Whether the basemap's tiles are arriving, per source (a provider's host, or an offline map), as a pure reducer
 * over Leaflet's tile events. A source is "down" after a few failures in a row with no tile loaded since: one
 * missing tile at the edge of the world is not an outage, and a single good tile ends it.
 */

export interface SourceHealth {
  /** Failures since the last loaded tile. */
  failures: number;
  /** When the current run of failures began. */
  failingSince?: number;
  lastOkAt?: number;
  /** Quiet retry rounds done while down (drives the backoff). */
  retries: number;
}

export type TileHealth = Readonly<Record<string, SourceHealth>>;

export type TileEvent =
  | { type: 'load'; source: string; at: number }
  | { type: 'error'; source: string; at: number }
  | { type: 'retry'; source: string }
  | { type: 'reset' };

/** Failures in a row before the map says a source is unreachable. */
export const DOWN_AFTER_FAILURES = 3;

const EMPTY: SourceHealth = { failures: 0, retries: 0 };

export function tileHealthReducer(state: TileHealth, event: TileEvent): TileHealth {
  if (event.type === 'reset') return {};
  const current = state[event.source] ?? EMPTY;
  switch (event.type) {
    case 'load':
      if (current.failures === 0 && current.lastOkAt !== undefined) return state;
      return { ...state, [event.source]: { failures: 0, retries: 0, lastOkAt: event.at } };
    case 'error':
      return {
        ...state,
        [event.source]: {
          ...current,
          failures: current.failures + 1,
          failingSince: current.failures === 0 ? event.at : current.failingSince,
        },
      };
    case 'retry':
      return { ...state, [event.source]: { ...current, retries: current.retries + 1 } };
  }
}

export interface DownSource {
  source: string;
  since: number;
  retries: number;
}

export function downSources(state: TileHealth): DownSource[] {
  return Object.entries(state)
    .filter(([, h]) => h.failures >= DOWN_AFTER_FAILURES && h.failingSince !== undefined)
    .map(([source, h]) => ({ source, since: h.failingSince as number, retries: h.retries }));
}

/** Quiet retries: 5 s, 10 s, 20 s, … up to a minute, so a provider that comes back is noticed soon. */
export function retryDelayMs(retries: number): number {
  return Math.min(60_000, 5_000 * 2 ** Math.min(retries, 10));
}
