/**
 * The track store's public interface: what the station service (electron/core/station) calls. Queries are
 * synchronous (better-sqlite3 is, and they are fast); writes go through a batched writer off the socket's path.
 */
import type Database from 'better-sqlite3';
import type { Fix, FixPosition } from '../../../protocol/fix.js';
import type {
  DataHole,
  HoleQuery,
  OverviewQuery,
  RangeQuery,
  StationSettings,
  TrackColumns,
  TrackStats,
  Unsubscribe,
  WatchedMember,
} from '../../../contract/station-api.js';
import type { TrackOverview } from '../../../contract/track/overview.js';
import type { TrackHole } from '../../../contract/track/segments.js';
import type { StoreError, StoreErrorCode } from './errors.js';
import type { BackfillKey, BackfillSpan } from './gaps.js';
import type { Rejection } from './hour-blob.js';
import type { PackerStatus } from './hour-packer.js';
import type { OverviewCacheStatus } from './overview-cache.js';
import type { PreparerStatus } from './overview-preparer.js';
import type { Arrival } from './rows.js';

export type { BackfillKey, BackfillSpan } from './gaps.js';
export type { Arrival } from './rows.js';

/** Settings the store persists: everything but the token flag (the Electron shell keeps the token). */
export type StoredSettings = Omit<StationSettings, 'hasToken' | 'activeBasemap'>;

export interface FlushResult {
  /** Fixes written by this flush that were not stored before, in the order they were enqueued. */
  inserted: Fix[];
  /** Fixes already stored (same member and relay position; unpositioned: same member, time and place). */
  duplicates: number;
  /** Fixes whose write failed in this flush (kept for retry when the error is transient). */
  failed: number;
  error?: StoreError;
}

export interface StoreStatus {
  file: string;
  /** Fixes waiting to be written (including those kept for retry). */
  pending: number;
  /** Fixes that failed to write at least once since open (each counted once). */
  writeErrors: number;
  /** Fixes given up on: malformed, or pushed out of a full retry queue. */
  dropped: number;
  lastError?: { code: StoreErrorCode; message: string; at: number };
  /** A problem found at open that the dispatcher must know about, e.g. a corrupt file moved aside. */
  problem?: { code: StoreErrorCode; message: string; movedTo?: string };
  /** Closed hours stored once more as blobs (hour-columns.ts, hour-packer.ts); counts since open. */
  hourColumns?: HourColumnsStatus;
  /** Overviews of closed periods kept, and those being prepared ahead (overview-cache.ts, overview-preparer.ts). */
  overviews?: OverviewCacheStatus & PreparerStatus;
}

export interface HourColumnsStatus extends PackerStatus {
  /** Hours range reads took from blobs. */
  fromBlobs: number;
  /** Blobs refused (bad header, length or times): the rows were read instead and the hour packed again. */
  rejected: number;
  lastRejection?: Rejection;
  /** Blobs deleted because fixes went into their hour or retention deleted its rows. */
  dropped: number;
}

export interface MemberActivity {
  uid: string;
  lastTs: number;
}

export interface TrackStore {
  readonly file: string;
  /** The open connection, for tests and the benchmark. The station must not write through it. */
  readonly db: Database.Database;

  /**
   * Queue fixes for the next batch. Cheap: validation is a few type checks, no SQL. `arrival` says when and how
   * they reached the station (default: now, live); it is stored with each fix.
   */
  enqueue(fixes: Fix | readonly Fix[], arrival?: Arrival): void;
  /** Write everything queued before this call; resolves when it is committed (or failed: see `error`). */
  flush(): Promise<FlushResult>;
  /** Every batch the writer commits or fails, timer-driven or explicit. */
  onFlush(listener: (result: FlushResult) => void): Unsubscribe;
  status(): StoreStatus;

  /** Latest stored fix of each given member (every member with fixes when omitted); members without fixes are left out. */
  latest(uids?: readonly string[]): Fix[];
  /** Newest stored relay position per member, to re-watch with `since` after a reconnect. */
  lastPositions(uids: readonly string[]): Map<string, FixPosition>;
  /** Members with a fix at or after `sinceTs`, newest first. */
  recentMembers(sinceTs: number): MemberActivity[];
  /** A member's fixes in [from, to] as columns sorted by time; downsampled to `maxPoints` when given. */
  range(query: RangeQuery): TrackColumns;
  countRange(uid: string, from: number, to: number): number;
  /** The same fixes as `range`, as Fix objects in chunks; holds no statement open between chunks. */
  iterateRange(uid: string, from: number, to: number, chunkSize?: number): Generator<Fix[]>;
  stats(query: Omit<RangeQuery, 'maxPoints'>): TrackStats;
  /**
   * A member's period analysed from every fix, with the track simplified for drawing (overview.ts); a closed
   * period's from memory when it was analysed before (overview-cache.ts).
   */
  overview(query: OverviewQuery, now?: number): TrackOverview;
  /**
   * Analyse a closed period for every watched member ahead, in the background (overview-preparer.ts), replacing an
   * earlier ask. Returns how many members it will prepare: 0 for a period not closed at `now`.
   */
  prepareOverviews(period: Omit<OverviewQuery, 'uid'>, now?: number): number;

  /**
   * Pack every closed hour without a blob now, in one go (tests, tools; the station leaves it to the idle-time
   * packer). Returns how many hours it packed.
   */
  packClosedHours(): number;
  /** Delete fixes older than `cutoffTs` in small transactions, yielding between them. Returns how many. */
  deleteOlderThan(cutoffTs: number): Promise<number>;
  /** Apply `retentionDays` (0 keeps everything). */
  applyRetention(retentionDays: number, now?: number): Promise<number>;

  /** Spans still to fetch from the relay's history, oldest first (they survive a restart). */
  backfillSpans(): BackfillSpan[];
  addBackfillSpan(span: BackfillSpan): void;
  /** Everything before `fromTs` of the span is stored: a resumed backfill starts there. */
  advanceBackfillSpan(key: BackfillKey, fromTs: number): void;
  removeBackfillSpan(key: BackfillKey): void;
  /** Stored fixes of the span (afterOffset < offset <= toOffset in its epoch). */
  storedInSpan(span: Pick<BackfillSpan, 'uid' | 'epoch' | 'afterOffset' | 'toOffset'>): number;
  /** The stored fix of `epoch` with the lowest offset above `afterOffset`, if any. */
  firstStoredAfter(uid: string, position: FixPosition): { offset: number; ts: number } | undefined;
  /** Fix time of the stored fix at a relay position, if stored. */
  tsAtPosition(uid: string, position: FixPosition): number | undefined;
  /**
   * The relay lost the epoch's fixes above `position.offset` that this store holds and will reuse those offsets:
   * keep ours under an epoch of their own. Returns how many moved.
   */
  supersedeAbove(uid: string, position: FixPosition): number;
  /** Record a span known to be missing for good (recording the same hole twice keeps one). */
  recordHole(hole: DataHole): void;
  listHoles(query: HoleQuery): DataHole[];
  /** The same holes as the track analysis and exports take them (contract/track). */
  holes(uid: string, from: number, to: number): TrackHole[];

  listWatched(): WatchedMember[];
  /** Add a member to the watch list or change its label/colour; `addedAt` is kept from the first watch. */
  putWatched(uid: string, changes?: { label?: string; color?: string }, now?: number): WatchedMember;
  /** Add or change many members in one transaction. */
  putWatchedMany(
    members: readonly { uid: string; label?: string; color?: string }[],
    now?: number,
  ): WatchedMember[];
  /** Also drops the member's pending backfill spans. */
  removeWatched(uid: string): boolean;

  getSettings(): StoredSettings;
  updateSettings(update: Partial<StoredSettings>): StoredSettings;

  /** Write what is queued, close the database, release the lock. */
  close(): Promise<void>;
}
