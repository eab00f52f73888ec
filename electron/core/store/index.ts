/**
 * `openTrackStore`: the station's SQLite track store, composed from its parts. See types.ts for the interface.
 *
 *   const store = openTrackStore({ dir: dataFolder, logger });
 *   store.onFlush(({ inserted }) => showAndCount(inserted));
 *   store.enqueue(fix);                       // from the socket handler; cheap
 *   const since = store.lastPositions(uids);  // re-watch after a reconnect
 *   const day = store.range({ uid, from, to, maxPoints: 5000 });
 *
 * Throws StoreError STORE_LOCKED when another station process holds the folder, STORE_TOO_NEW for a database
 * from a newer version. A corrupt file does not throw: it is moved aside and `status().problem` says so.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { OverviewQuery, RangeQuery } from '../../../contract/station-api.js';
import type { TrackOverview } from '../../../contract/track/overview.js';
import { normalizeTrackSettings } from '../../../contract/track/settings.js';
import { downsample } from './downsample.js';
import { sqliteCodeOf } from './errors.js';
import { GapTables } from './gaps.js';
import { HOUR_MS } from './hour-blob.js';
import { HourColumns } from './hour-columns.js';
import { HourPacker } from './hour-packer.js';
import { acquireLock } from './lock.js';
import { chooseIntegrityCheck, openDatabase } from './open-database.js';
import type { IntegrityCheck } from './open-database.js';
import { TrackQueries } from './queries.js';
import { overviewOf, WARM_EVERY_MS, warmOverview } from './overview.js';
import { OverviewCache } from './overview-cache.js';
import { OverviewPreparer } from './overview-preparer.js';
import { RangeCache } from './range-cache.js';
import { deleteOlderThan, retentionCutoff } from './retention.js';
import { DEFAULT_SETTINGS, SettingsTable } from './settings.js';
import { trackStats } from './stats.js';
import type { StoredSettings, TrackStore } from './types.js';
import { WatchList } from './watchlist.js';
import { BatchWriter } from './writer.js';
import type { WriterOptions } from './writer.js';

export { StoreError, STORE_ERROR_CODES } from './errors.js';
export type { StoreErrorCode } from './errors.js';
export type {
  Arrival,
  BackfillKey,
  BackfillSpan,
  FlushResult,
  MemberActivity,
  StoreStatus,
  StoredSettings,
  TrackStore,
} from './types.js';
export { DEFAULT_SETTINGS } from './settings.js';

export const DATABASE_FILE_NAME = 'lodestar.db';

export interface OpenTrackStoreOptions extends Omit<WriterOptions, 'logger'> {
  /** Data folder; the database is `<dir>/lodestar.db`. Created if missing. */
  dir?: string;
  /** Or the database file itself. */
  file?: string;
  logger?: Logger;
  /**
   * Check run at open: 'quick' reads every page once, 'full' also checks indexes against tables; 'auto' (default)
   * runs 'quick' after an unclean shutdown or while the file is under 256 MB.
   */
  integrityCheck?: IntegrityCheck | 'auto';
  settingsDefaults?: Partial<StoredSettings>;
  /** Memory for members' fixes already read, per hour (range-cache.ts); 0 reads every range from SQLite. */
  rangeCacheBytes?: number;
  /** Memory for overviews of closed periods (overview-cache.ts); 0 analyses every period when asked. */
  overviewCacheBytes?: number;
  /** How long writes into a prepared period pause before it is prepared again (overview-preparer.ts). */
  overviewQuietMs?: number;
  /** The idle-time packer of closed hours (hour-packer.ts); default on. Off, blobs are still read and dropped. */
  packHours?: boolean;
}

export function resolveDatabaseFile(options: Pick<OpenTrackStoreOptions, 'dir' | 'file'>): string {
  if (options.file) return resolve(options.file);
  if (options.dir) return resolve(join(options.dir, DATABASE_FILE_NAME));
  throw new TypeError('openTrackStore needs `dir` (a data folder) or `file` (a database file)');
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export function openTrackStore(options: OpenTrackStoreOptions): TrackStore {
  const file = resolveDatabaseFile(options);
  mkdirSync(join(file, '..'), { recursive: true });
  const logger = options.logger?.child({ component: 'store' });
  const lock = acquireLock(file);
  let opened: ReturnType<typeof openDatabase>;
  try {
    const requested = options.integrityCheck ?? 'auto';
    const integrityCheck =
      requested === 'auto' ? chooseIntegrityCheck(lock.tookOverStale, fileSize(file)) : requested;
    opened = openDatabase(file, { integrityCheck, logger });
  } catch (error) {
    lock.release();
    throw error;
  }
  const { db, problem } = opened;
  const queries = new TrackQueries(db);
  const hours = new HourColumns(db, (uid, from, to) => queries.range(uid, from, to));
  const writer = new BatchWriter(db, {
    ...options,
    logger,
    inTransaction: (inserted) => hours.dropTouched(inserted),
  });
  const nextTs = db.prepare('SELECT ts FROM fixes WHERE uid = ? AND ts >= ? ORDER BY ts LIMIT 1').pluck();
  const packHour = db.transaction((uid: string, hour: number): boolean =>
    hours.write(uid, hour, queries.range(uid, hour * HOUR_MS, (hour + 1) * HOUR_MS - 1)),
  );
  const packer = new HourPacker(
    {
      members: () => queries.members(),
      nextTs: (uid, fromTs) => nextTs.get(uid, fromTs) as number | undefined,
      hasBlob: (uid, hour) => hours.hasBlob(uid, hour),
      pack: (uid, hour) => packHour(uid, hour),
    },
    Date.now,
    // At most once a minute (the retry): the rows are stored, only the first reads of those hours are slower.
    (error) => logger?.warn({ err: error, code: sqliteCodeOf(error) }, 'hour blobs not written, retried'),
  );
  hours.onStale = (uid, hour, rebuild) => packer.stale(uid, hour, rebuild);
  const cache = new RangeCache((uid, from, to) => hours.range(uid, from, to), options.rangeCacheBytes);
  const overviews = new OverviewCache(options.overviewCacheBytes);
  // Registered before anyone else can listen: no one hears of a flush while a cache still holds the old hours.
  writer.onFlush((result) => {
    cache.invalidate(result.inserted);
    preparer.stale(overviews.invalidate(result.inserted), result.inserted);
    packer.stored(result.inserted);
  });
  if (options.packHours !== false) packer.start();
  const watchList = new WatchList(db);
  const gaps = new GapTables(db);
  const settings = new SettingsTable(db, { ...DEFAULT_SETTINGS, ...options.settingsDefaults });
  let closed = false;
  logger?.info({ file, problem: problem?.code }, 'track store open');
  // The overview's code compiled before a dispatcher's history load, not during it (overview.ts): three runs of
  // ~5-15 ms at open, apart, then one every WARM_EVERY_MS so V8 keeps it (~0.05 % of a core).
  let warm: NodeJS.Timeout | undefined;
  const keepWarm = (runs: number): void => {
    warm = setTimeout(
      () => {
        warmOverview();
        keepWarm(runs + 1);
      },
      runs < 3 ? 200 : WARM_EVERY_MS,
    );
    warm.unref();
  };
  keepWarm(0);

  const overview = (query: OverviewQuery, now: number, read: typeof cache.range): TrackOverview => {
    const settings = normalizeTrackSettings(query.settings);
    return overviews.get({ uid: query.uid, from: query.from, to: query.to, settings }, now, () =>
      overviewOf(read(query.uid, query.from, query.to), { ...query, settings }, gaps.holes(query), now),
    );
  };
  const preparer = new OverviewPreparer({
    members: () => watchList.list().map((m) => m.uid),
    // Past the range cache: preparing a large team's day must not push out the hours a dispatcher looked at.
    overview: (query) => {
      const key = { ...query, settings: normalizeTrackSettings(query.settings) };
      if (!overviews.has(key)) overview(query, Date.now(), (uid, from, to) => hours.range(uid, from, to));
    },
    onError: (error, uid) => logger?.warn({ err: error, uid }, 'overview not prepared ahead'),
    ...(options.overviewQuietMs !== undefined && { quietMs: options.overviewQuietMs }),
  });

  const range = (query: RangeQuery) => {
    const columns = cache.range(query.uid, query.from, query.to);
    return query.maxPoints === undefined ? columns : downsample(columns, query.maxPoints);
  };

  return {
    file,
    db,
    enqueue: (fixes, arrival) => writer.enqueue(fixes, arrival),
    flush: () => writer.flush(),
    onFlush: (listener) => writer.onFlush(listener),
    status: () => ({
      file,
      pending: writer.pending,
      writeErrors: writer.writeErrors,
      dropped: writer.dropped,
      ...(writer.lastError && { lastError: writer.lastError }),
      ...(problem && { problem }),
      hourColumns: {
        ...packer.status,
        fromBlobs: hours.hoursFromBlobs,
        rejected: hours.rejected,
        ...(hours.lastRejection && { lastRejection: hours.lastRejection }),
        dropped: hours.dropped,
      },
      overviews: { ...overviews.status, ...preparer.status },
    }),
    latest: (uids) => queries.latest(uids),
    lastPositions: (uids) => queries.lastPositions(uids),
    recentMembers: (sinceTs) => queries.recentMembers(sinceTs),
    range,
    countRange: (uid, from, to) => queries.countRange(uid, from, to),
    iterateRange: (uid, from, to, chunkSize) => queries.iterateRange(uid, from, to, chunkSize),
    stats: (query) => trackStats(cache.range(query.uid, query.from, query.to)),
    overview: (query, now = Date.now()) =>
      overview(query, now, (uid, from, to) => cache.range(uid, from, to)),
    prepareOverviews: (period, now = Date.now()) => (period.to < now ? preparer.prepare(period) : 0),
    packClosedHours: () => packer.packAll(),
    deleteOlderThan: async (cutoffTs) => {
      // Dropped also when it fails: the chunks before the one that failed are deleted.
      let deleted: number | undefined;
      try {
        deleted = await deleteOlderThan(db, queries, cutoffTs, undefined, hours);
        return deleted;
      } finally {
        if (deleted !== 0) cache.clear();
        overviews.dropBefore(cutoffTs);
      }
    },
    applyRetention: async (retentionDays, now = Date.now()) => {
      const cutoff = retentionCutoff(retentionDays, now);
      if (cutoff === undefined) return 0;
      let deleted: number | undefined;
      try {
        deleted = await deleteOlderThan(db, queries, cutoff, undefined, hours);
        gaps.deleteHolesBefore(cutoff);
      } finally {
        // Also when it failed: the chunks before the one that failed are deleted.
        if (deleted !== 0) cache.clear();
        overviews.dropBefore(cutoff);
      }
      if (deleted > 0) logger?.info({ deleted, retentionDays }, 'retention applied');
      return deleted;
    },
    backfillSpans: () => gaps.spans(),
    addBackfillSpan: (span) => gaps.addSpan(span),
    advanceBackfillSpan: (key, fromTs) => gaps.advanceSpan(key, fromTs),
    removeBackfillSpan: (key) => gaps.removeSpan(key),
    storedInSpan: (span) => gaps.storedInSpan(span.uid, span.epoch, span.afterOffset, span.toOffset),
    firstStoredAfter: (uid, position) => gaps.firstStoredAfter(uid, position.epoch, position.offset),
    tsAtPosition: (uid, position) => gaps.tsAtPosition(uid, position.epoch, position.offset),
    supersedeAbove: (uid, position) => gaps.supersedeAbove(uid, position.epoch, position.offset),
    recordHole: (hole) => {
      gaps.recordHole(hole);
      overviews.invalidateSpan(hole.uid, hole.from, hole.to);
    },
    listHoles: (query) => gaps.holes(query),
    holes: (uid, from, to) =>
      gaps.holes({ uid, from, to }).map((h) => ({ fromTs: h.from, toTs: h.to, reason: h.reason })),
    listWatched: () => watchList.list(),
    putWatched: (uid, changes, now) => {
      const member = watchList.put(uid, changes, now);
      preparer.add([uid]);
      return member;
    },
    putWatchedMany: (members, now) => {
      const put = watchList.putMany(members, now);
      preparer.add(members.map((m) => m.uid));
      return put;
    },
    removeWatched: (uid) => {
      gaps.removeSpansOf(uid);
      overviews.invalidateSpan(uid, -Infinity, Infinity);
      preparer.remove(uid);
      return watchList.delete(uid);
    },
    getSettings: () => settings.get(),
    updateSettings: (update) => settings.update(update),
    close: async () => {
      if (closed) return;
      closed = true;
      clearTimeout(warm);
      packer.stop();
      preparer.stop();
      try {
        await writer.close();
      } finally {
        db.close();
        lock.release();
        logger?.info({ file }, 'track store closed');
      }
    },
  };
}
