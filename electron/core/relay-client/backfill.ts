/**
 * Fetches spans the relay would not replay from its history, one page in flight at a time, and keeps them in the
 * store until they are fetched, so a backfill cut short (relay gone, station closed) resumes at the next
 * connection from the last page stored. Progress is counted from the store itself (fixes of the span's offsets),
 * so a page fetched twice after a restart is never counted twice.
 */
import type { Logger } from 'pino';
import type { Fix } from '../../../protocol/fix.js';
import type { HistoryReply } from '../../../protocol/messages.js';
import type { BackfillProgress } from '../../../contract/station-api.js';
import type { BackfillSpan, TrackStore } from '../store/types.js';
import { holeAfterBackfill } from './backfill-plan.js';
import { RelayRequestError } from './requests.js';

/** The store's part in a backfill. */
export type GapStore = Pick<
  TrackStore,
  | 'backfillSpans'
  | 'addBackfillSpan'
  | 'advanceBackfillSpan'
  | 'removeBackfillSpan'
  | 'storedInSpan'
  | 'firstStoredAfter'
  | 'tsAtPosition'
  | 'recordHole'
  | 'supersedeAbove'
>;

export interface HistoryRequest {
  uid: string;
  from: number;
  to: number;
  limit: number;
  cursor?: string;
}

export interface BackfillDeps {
  store: GapStore;
  history(request: HistoryRequest): Promise<HistoryReply>;
  /** Hand fetched fixes to the station; resolves once they are stored. */
  deliver(fixes: Fix[]): Promise<void>;
  onProgress(progress: BackfillProgress[]): void;
  pageSize: number;
  logger: Logger;
}

export interface BackfillCounters {
  pages: number;
  fixes: number;
  spansDone: number;
  holes: number;
}

export class Backfiller {
  readonly counters: BackfillCounters = { pages: 0, fixes: 0, spansDone: 0, holes: 0 };
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly deps: BackfillDeps) {}

  /** Remember a span and fetch it (after the ones already waiting). */
  add(span: BackfillSpan): void {
    this.deps.store.addBackfillSpan(span);
    this.deps.onProgress(this.progress());
    this.resume();
  }

  /** Fetch every span the store holds; a no-op while a run is going. */
  resume(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.runAll()
      .catch((error: unknown) => {
        // A store that fails under a backfill must not take the connection down; the spans stay for next time.
        if (!this.stopped) this.deps.logger.error({ err: error }, 'backfill stopped');
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** The connection is gone: stop after the page in flight (its span stays in the store). */
  stop(): void {
    this.stopped = true;
  }

  /** Per member: fixes of its pending spans stored, out of how many the relay's offsets say there are. */
  progress(): BackfillProgress[] {
    const byUid = new Map<string, BackfillProgress>();
    for (const span of this.deps.store.backfillSpans()) {
      const entry = byUid.get(span.uid) ?? { uid: span.uid, done: 0, total: 0 };
      entry.done += this.deps.store.storedInSpan(span);
      entry.total += span.toOffset - span.afterOffset;
      byUid.set(span.uid, entry);
    }
    return [...byUid.values()];
  }

  private async runAll(): Promise<void> {
    const failed = new Set<string>();
    for (;;) {
      if (this.stopped) return;
      const span = this.deps.store.backfillSpans().find((s) => !failed.has(keyOf(s)));
      if (!span) return;
      const ok = await this.runSpan(span);
      if (!ok) failed.add(keyOf(span));
    }
  }

  /** Returns false when the span could not be fetched now (it stays for the next connection). */
  private async runSpan(span: BackfillSpan): Promise<boolean> {
    const { store, logger } = this.deps;
    let cursor: string | undefined;
    for (;;) {
      let page: HistoryReply;
      try {
        page = await this.deps.history({
          uid: span.uid,
          from: span.fromTs,
          to: span.toTs,
          limit: this.deps.pageSize,
          ...(cursor !== undefined ? { cursor } : {}),
        });
      } catch (error) {
        if (error instanceof RelayRequestError && error.code === 'forbidden') {
          // The token no longer allows the member: nothing of it will ever be fetched.
          store.removeBackfillSpan(span);
          this.deps.onProgress(this.progress());
          return true;
        }
        if (!this.stopped) logger.warn({ err: error, uid: span.uid }, 'backfill page failed; resuming later');
        return false;
      }
      this.counters.pages++;
      this.counters.fixes += page.fixes.length;
      if (page.fixes.length > 0) {
        await this.deps.deliver(page.fixes);
        // Stopped while the page was stored: the station may be closing its store right now.
        if (this.stopped) return false;
        // Pages come in (ts, offset) order: everything before the last page's last time is stored.
        store.advanceBackfillSpan(span, page.fixes[page.fixes.length - 1]!.ts);
      }
      // The member was unwatched meanwhile (its spans went with it): the rest is not wanted.
      if (!store.backfillSpans().some((s) => keyOf(s) === keyOf(span))) return true;
      if (page.next === null) {
        this.finish(span);
        return true;
      }
      this.deps.onProgress(this.progress());
      if (this.stopped) return false;
      cursor = page.next;
    }
  }

  private finish(span: BackfillSpan): void {
    const { store, logger } = this.deps;
    const first = store.firstStoredAfter(span.uid, { epoch: span.epoch, offset: span.afterOffset });
    const startTs = store.tsAtPosition(span.uid, { epoch: span.epoch, offset: span.afterOffset });
    const hole = holeAfterBackfill(span, first, startTs);
    if (hole) {
      store.recordHole(hole);
      this.counters.holes++;
    }
    const stored = store.storedInSpan(span);
    const expected = span.toOffset - span.afterOffset - (hole?.missing ?? 0);
    if (stored < expected) {
      // Fixes of the span whose times lie outside the span's time range (a device clock far off) are not in the
      // pages read by time; say so rather than pretend.
      logger.warn(
        { uid: span.uid, stored, expected },
        'backfill ended with fixes of the span not found by time',
      );
    }
    store.removeBackfillSpan(span);
    this.counters.spansDone++;
    this.deps.onProgress(this.progress());
    logger.info({ uid: span.uid, stored, hole: hole !== undefined }, 'backfill span fetched');
  }
}

function keyOf(span: BackfillSpan): string {
  return `${span.uid}\u0000${span.epoch}\u0000${span.afterOffset}`;
}
