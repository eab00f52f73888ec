/**
 * The station service: the one implementation of `StationApi`, composed from the relay client and the track store.
 * Both hosts (Electron main, browser host) construct it and expose it; neither adds logic of its own.
 *
 * Data path: relay frame → RelayClient (frame schema) → checkFix (station rules) → store.enqueue (batched writer,
 * off the socket's path) → store flush → newly stored fixes → FixBatcher (~50 ms) → onFixes listeners.
 * History queries only touch SQLite, so they answer whatever the relay's state.
 */
import { nextColor, nextColors } from '../../contract/member-colors.js';
import type { Logger } from 'pino';
import type WebSocket from 'ws';
import type { Fix } from '../../protocol/fix.js';
import {
  decodeClaimsUnverified,
  operatorClaimsSchema,
  scopeAllows,
  type MemberScope,
} from '../../protocol/token.js';
import {
  MAX_PREPARED_SPAN_MS,
  type StationApi,
  type StationSettings,
  type StationStatus,
  type WatchedMember,
  type WatchOutcome,
} from '../../contract/station-api.js';
import { StationError } from '../../contract/errors.js';
import type { BackoffOptions } from './relay-client/backoff.js';
import { RelayClient, type MemberAnswer } from './relay-client/client.js';
import { AlertLog } from './station/alert-log.js';
import { FixBatcher } from './station/fix-batcher.js';
import { checkFix, type StationFixRejection } from './station/fix-gate.js';
import { ExportRunner, type ChooseExportPath, type TrackExporter } from './station/exports.js';
import { mergeMembers } from './station/members.js';
import { composeStatus } from './station/status.js';
import type { TrackStore } from './store/types.js';
import { StationBasemaps } from './basemaps/station-basemaps.js';

/** Where the operator token lives: safeStorage in Electron, memory (from a flag or file) in the browser host. */
export interface TokenVault {
  get(): Promise<string | undefined>;
  set(token: string): Promise<void>;
}

export type { ChooseExportPath, TrackExporter } from './station/exports.js';

export interface StationOptions {
  store: TrackStore;
  vault: TokenVault;
  exporter: TrackExporter;
  exportsDir: string;
  /** Asks the dispatcher where to save an export (the Electron shell); without it exports go to `exportsDir`. */
  chooseExportPath?: ChooseExportPath;
  /** Where imported offline maps and the tile cache live (the station's data folder). */
  basemapsDir: string;
  /** Fetch for online tiles through the cache (tests point it elsewhere). */
  fetch?: typeof fetch;
  logger: Logger;
  /** Overrides the stored relay URL for this run (flag/env of the browser host). */
  relayUrl?: string;
  /** Certificate authorities (PEM) trusted for a wss:// relay besides the system's. */
  relayCa?: string;
  WebSocket?: typeof WebSocket;
  backoff?: BackoffOptions;
  fixTickMs?: number;
  retentionIntervalMs?: number;
  /** Members with a fix this recent count as "recently active" in listMembers. */
  recentWindowMs?: number;
}

export interface StationCounters {
  fixesAccepted: number;
  fixesRejected: Record<StationFixRejection, number>;
}

export interface Station extends StationApi {
  readonly counters: StationCounters;
  /** Offline maps, the tile cache and the tiles the hosts serve. */
  readonly basemaps: StationBasemaps;
  readonly relay: RelayClient;
  /** Resolves once every fix received so far is stored and delivered to the onFixes listeners. */
  fixesDelivered(): Promise<void>;
  start(): void;
  close(): Promise<void>;
}

/** The relay's well-known port, as the old service had it: what a fresh station tries first. */
export const DEFAULT_RELAY_URL = 'ws://127.0.0.1:30582';

export function createStation(options: StationOptions): Station {
  const { store, vault, logger } = options;
  const counters: StationCounters = {
    fixesAccepted: 0,
    fixesRejected: { future_ts: 0, partial_position: 0 },
  };
  const batcher = new FixBatcher(options.fixTickMs ?? 50, (error) =>
    logger.error({ err: error }, 'fix listener failed'),
  );
  const statusListeners = new Set<(status: StationStatus) => void>();
  const alerts = new AlertLog(Date.now, (error) => logger.error({ err: error }, 'alert listener failed'));
  let tokenScope: MemberScope | undefined;
  let lastStoreErrors = 0;
  let retentionTimer: NodeJS.Timeout | undefined;
  let firstRetention: NodeJS.Timeout | undefined;
  let closed = false;
  let relay = makeRelayClient(options.relayUrl || store.getSettings().relayUrl || DEFAULT_RELAY_URL);

  function makeRelayClient(url: string): RelayClient {
    const client = new RelayClient({
      url,
      logger: logger.child({ part: 'relay-client' }),
      tokenProvider: async () => {
        const token = await vault.get();
        tokenScope = scopeOf(token);
        return token;
      },
      members: () => store.listWatched().map((m) => m.uid),
      positions: (uids) => store.lastPositions(uids),
      ...(options.relayCa ? { trustedCa: options.relayCa } : {}),
      gaps: store,
      stored: async () => {
        await store.flush();
      },
      delivered: async () => {
        await store.flush();
        await batcher.idle();
      },
      ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
      ...(options.backoff ? { backoff: options.backoff } : {}),
    });
    client.onFixes(({ fixes, replay }) => accept(fixes, replay));
    client.onStatus(() => emitStatus());
    return client;
  }

  function accept(fixes: readonly Fix[], replay: boolean): void {
    const now = Date.now();
    const good: Fix[] = [];
    for (const fix of fixes) {
      const rejection = checkFix(fix, now);
      if (rejection) counters.fixesRejected[rejection]++;
      else good.push(fix);
    }
    counters.fixesAccepted += good.length;
    // Arrival is recorded per fix so history can show what a catch-up or backfill filled in and what came late.
    if (good.length > 0) store.enqueue(good, { receivedAt: now, replay });
  }

  const unsubscribeFlush = store.onFlush((result) => {
    batcher.push(result.inserted);
    const errors = store.status().writeErrors;
    if (result.error || errors !== lastStoreErrors) {
      lastStoreErrors = errors;
      emitStatus();
    }
  });

  function currentStatus(): StationStatus {
    return composeStatus(relay.status, store.status());
  }

  function emitStatus(): void {
    const status = currentStatus();
    for (const listener of statusListeners) {
      try {
        listener(status);
      } catch (error) {
        logger.error({ err: error }, 'status listener failed');
      }
    }
  }

  const basemaps = new StationBasemaps(
    options.basemapsDir,
    () => store.getSettings(),
    (update) => store.updateSettings(update),
    logger.child({ part: 'basemaps' }),
    options.fetch,
  );

  async function settings(): Promise<StationSettings> {
    return {
      ...basemaps.describe(store.getSettings()),
      relayUrl: relay.status.relayUrl,
      hasToken: (await vault.get()) !== undefined,
    };
  }

  function runRetention(): void {
    if (closed) return;
    const days = store.getSettings().retentionDays;
    store.applyRetention(days).then(
      (deleted) => {
        if (deleted > 0) logger.info({ deleted, retentionDays: days }, 'old fixes deleted by retention');
      },
      (error: unknown) => logger.error({ err: error }, 'retention failed'),
    );
  }

  function assertAllowed(uid: string): void {
    if (tokenScope !== undefined && !scopeAllows(tokenScope, uid)) {
      throw new StationError('forbidden_member', `the operator token does not allow member ${uid}`);
    }
  }

  const exports = new ExportRunner({
    store,
    exporter: options.exporter,
    exportsDir: options.exportsDir,
    logger,
    ...(options.chooseExportPath && { chooseExportPath: options.chooseExportPath }),
  });

  const station: Station = {
    counters,
    basemaps,
    get relay() {
      return relay;
    },
    start() {
      void vault.get().then((token) => {
        tokenScope = scopeOf(token);
      });
      relay.start();
      retentionTimer = setInterval(runRetention, options.retentionIntervalMs ?? 3_600_000);
      retentionTimer.unref();
      firstRetention = setTimeout(runRetention, 5_000);
      firstRetention.unref();
    },
    async close() {
      closed = true;
      clearInterval(retentionTimer);
      clearTimeout(firstRetention);
      relay.stop('closing');
      unsubscribeFlush();
      await batcher.close();
      statusListeners.clear();
      exports.close();
      basemaps.close();
    },

    getStatus: async () => currentStatus(),
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    onFixes: (listener) => batcher.subscribe(listener),

    listWatched: async () => store.listWatched(),
    async fixesDelivered() {
      await store.flush();
      await batcher.idle();
    },
    async watch(uid, opts) {
      assertAllowed(uid);
      const existing = store.listWatched();
      const known = existing.find((m) => m.uid === uid);
      const member: WatchedMember = store.putWatched(uid, {
        ...(known ? {} : { color: nextColor(existing.map((m) => m.color)) }),
        ...opts,
      });
      if (known) return member;
      const [answer] = await relay.watch([uid]);
      if (answer?.answer === 'refused') {
        store.removeWatched(uid);
        throw new StationError('watch_refused', `${answer.message} (${answer.code})`);
      }
      return member;
    },
    async watchMany(uids) {
      const existing = store.listWatched();
      const known = new Set(existing.map((m) => m.uid));
      const outcomes = new Map<string, WatchOutcome>();
      const added: string[] = [];
      for (const uid of new Set(uids)) {
        if (tokenScope !== undefined && !scopeAllows(tokenScope, uid)) {
          const message = `the operator token does not allow member ${uid}`;
          outcomes.set(uid, { uid, result: 'refused', code: 'forbidden', message });
        } else if (known.has(uid)) {
          outcomes.set(uid, { uid, result: relay.welcome ? 'watched' : 'pending' });
        } else {
          added.push(uid);
        }
      }
      const colors = nextColors(
        existing.map((m) => m.color),
        added.length,
      );
      store.putWatchedMany(added.map((uid, i) => ({ uid, color: colors[i]! })));
      for (const answer of await relay.watch(added)) {
        if (answer.answer === 'refused') store.removeWatched(answer.uid);
        outcomes.set(answer.uid, toOutcome(answer));
      }
      return uids.map((uid) => outcomes.get(uid)!);
    },
    async unwatch(uid) {
      if (!store.removeWatched(uid)) throw new StationError('not_watched', `member ${uid} is not watched`);
      await relay.unwatch([uid]);
    },
    async updateMember(uid, changes) {
      if (!store.listWatched().some((m) => m.uid === uid)) {
        throw new StationError('not_watched', `member ${uid} is not watched`);
      }
      return store.putWatched(uid, changes);
    },
    listMembers: async () =>
      mergeMembers(
        tokenScope,
        store.listWatched(),
        store.recentMembers(Date.now() - (options.recentWindowMs ?? 7 * 86_400_000)),
      ),

    latest: async (uids) => store.latest(uids ?? store.listWatched().map((m) => m.uid)),
    queryRange: async (query) => store.range(query),
    historyOverview: async (query) => store.overview(query),
    prepareHistory: async (period) => ({
      members: period.to - period.from <= MAX_PREPARED_SPAN_MS ? store.prepareOverviews(period) : 0,
    }),
    stats: async (query) => store.stats(query),
    holes: async (query) => store.listHoles(query),

    exportTrack: (request) => exports.run(request),
    onExportProgress: (listener) => exports.subscribe(listener),

    listAlerts: async () => alerts.list(),
    raiseAlerts: async (raised) => alerts.raise(raised),
    clearAlerts: async () => alerts.clear(),
    onAlerts: (listener) => alerts.subscribe(listener),

    getSettings: settings,
    async updateSettings(update) {
      const { token, relayUrl, ...rest } = update;
      basemaps.checkUpdate(rest);
      if (rest.staleAfterMs !== undefined || rest.offlineAfterMs !== undefined) {
        const current = store.getSettings();
        if ((rest.staleAfterMs ?? current.staleAfterMs) > (rest.offlineAfterMs ?? current.offlineAfterMs)) {
          throw new StationError('bad_request', 'staleAfterMs must not exceed offlineAfterMs');
        }
      }
      if (Object.keys(rest).length > 0) store.updateSettings(rest);
      basemaps.applied(rest);
      if (relayUrl !== undefined) store.updateSettings({ relayUrl });
      if (token !== undefined) await vault.set(token);
      if (relayUrl !== undefined && relayUrl !== relay.status.relayUrl) {
        relay.stop('relay_changed');
        relay = makeRelayClient(relayUrl);
        relay.start();
        emitStatus();
      } else if (token !== undefined) {
        relay.restart();
      }
      if (rest.retentionDays !== undefined) runRetention();
      return settings();
    },

    listOfflineMaps: async () => basemaps.offline.list(),
    importOfflineMap: async (request) => basemaps.import(request),
    removeOfflineMap: async (id) => basemaps.remove(id),
  };
  return station;
}

function toOutcome(answer: MemberAnswer): WatchOutcome {
  switch (answer.answer) {
    case 'ok':
      return { uid: answer.uid, result: 'watched' };
    case 'refused':
      return { uid: answer.uid, result: 'refused', code: answer.code, message: answer.message };
    case 'unanswered':
      return { uid: answer.uid, result: 'pending' };
  }
}

function scopeOf(token: string | undefined): MemberScope | undefined {
  if (!token) return undefined;
  const claims = operatorClaimsSchema.safeParse(decodeClaimsUnverified(token));
  return claims.success ? claims.data.members : undefined;
}
