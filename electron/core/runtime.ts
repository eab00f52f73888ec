/**
 * Opening a station from a data folder: the store, the exports folder, the station service. Both hosts and the
 * demo start the station through this, so they cannot drift apart.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type WebSocket from 'ws';
import type { BackoffOptions } from './relay-client/backoff.js';
import {
  createStation,
  DEFAULT_RELAY_URL,
  type Station,
  type TokenVault,
  type ChooseExportPath,
  type TrackExporter,
} from './station.js';
import { openTrackStore, type TrackStore } from './store/index.js';

export interface StationRuntimeOptions {
  dataDir: string;
  vault: TokenVault;
  exporter: TrackExporter;
  logger: Logger;
  /** Overrides the stored relay URL for this run. */
  relayUrl?: string;
  /** Certificate authorities (PEM) trusted for a wss:// relay besides the system's. */
  relayCa?: string;
  exportsDir?: string;
  chooseExportPath?: ChooseExportPath;
  WebSocket?: typeof WebSocket;
  backoff?: BackoffOptions;
  /** Fetch for online tiles through the station's cache. */
  fetch?: typeof fetch;
}

export interface StationRuntime {
  station: Station;
  store: TrackStore;
  close(): Promise<void>;
}

export function openStationRuntime(options: StationRuntimeOptions): StationRuntime {
  const store = openTrackStore({ dir: options.dataDir, logger: options.logger });
  const problem = store.status().problem;
  if (problem) options.logger.error({ problem }, 'the station database needed attention at open');
  const station = createStation({
    store,
    vault: options.vault,
    exporter: options.exporter,
    exportsDir: options.exportsDir ?? join(options.dataDir, 'exports'),
    basemapsDir: options.dataDir,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    logger: options.logger,
    relayUrl: options.relayUrl || store.getSettings().relayUrl || DEFAULT_RELAY_URL,
    ...(options.relayCa ? { relayCa: options.relayCa } : {}),
    ...(options.chooseExportPath ? { chooseExportPath: options.chooseExportPath } : {}),
    ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
  });
  return {
    station,
    store,
    async close() {
      await station.close();
      await store.close();
    },
  };
}

/** A vault holding the token in memory: the browser host gets it from a flag or file each run. */
export function memoryVault(initial: string | undefined): TokenVault {
  let token = initial;
  return {
    get: async () => token,
    set: async (next) => {
      token = next;
    },
  };
}
