/**
 * Overviews of a closed period analysed ahead, one member per step, so the review a dispatcher most often opens
 * (yesterday: the page asks for it when it is first idle) answers from the overview cache instead of reading and
 * analysing every fix on the click. A step is one member's overview (~10-50 ms); between steps the event loop
 * serves everything else, so a load the dispatcher starts meanwhile waits for at most one step.
 *
 * A new period replaces the one being prepared: only the latest ask matters (the page asks again when the day
 * changes). What is already kept costs nothing: `store.overview` answers it from the cache.
 */
import type { OverviewQuery } from '../../../contract/station-api.js';

/** Most members prepared for one ask; a larger watch list is prepared for its first ones (the list's order). */
export const MAX_PREPARED_MEMBERS = 500;

/** Writes into a period come in batches (a catch-up, a backfill): prepare it again once they pause this long. */
export const STALE_QUIET_MS = 5_000;

export interface PreparerStatus {
  /** Members of the current ask not prepared yet. */
  waiting: number;
  /** Overviews computed or found kept, since open. */
  prepared: number;
  /** Steps that threw (the store closing, a read error): the load computes that overview when asked. */
  failed: number;
}

export interface PreparerDeps {
  /** The members to prepare, in order. */
  members(): readonly string[];
  /** Computes (or finds kept) one member's overview; what it returns is not used. */
  overview(query: OverviewQuery): unknown;
  onError?(error: unknown, uid: string): void;
  /** How long writes into a prepared period must pause before it is prepared again (default STALE_QUIET_MS). */
  quietMs?: number;
  /** Runs `step` after the event loop's pending I/O (default setImmediate). */
  schedule?(step: () => void): { cancel(): void };
}

const immediate = (step: () => void) => {
  const handle = setImmediate(step);
  return { cancel: () => clearImmediate(handle) };
};

export class OverviewPreparer {
  private queue: string[] = [];
  private period: Omit<OverviewQuery, 'uid'> | undefined;
  private pending: { cancel(): void } | undefined;
  private stopped = false;
  private readonly staleMembers = new Set<string>();
  private staleTimer: ReturnType<typeof setTimeout> | undefined;
  private prepared = 0;
  private failed = 0;

  constructor(private readonly deps: PreparerDeps) {}

  /** Prepares `period` for every member (replacing an earlier ask). Returns how many members it will prepare. */
  prepare(period: Omit<OverviewQuery, 'uid'>): number {
    if (this.stopped) return 0;
    this.period = period;
    this.queue = [...new Set(this.deps.members())].slice(0, MAX_PREPARED_MEMBERS).reverse();
    const queued = this.queue.length;
    if (queued > 0 && this.pending === undefined) this.next();
    return queued;
  }

  /**
   * Fixes went into these members' periods (a catch-up filling the night, a backfill): their kept overviews are
   * gone, so they are prepared again for the period asked, once writes into it have paused for `quietMs`.
   */
  stale(dropped: readonly { uid: string; from: number; to: number }[]): void {
    const period = this.period;
    if (this.stopped || period === undefined) return;
    for (const d of dropped) if (d.from === period.from && d.to === period.to) this.staleMembers.add(d.uid);
    if (this.staleMembers.size === 0) return;
    clearTimeout(this.staleTimer);
    this.staleTimer = setTimeout(() => {
      const uids = [...this.staleMembers];
      this.staleMembers.clear();
      this.add(uids);
    }, this.deps.quietMs ?? STALE_QUIET_MS);
    this.staleTimer.unref?.();
  }

  /** Members just added to the watch list: prepared for the last period asked, after those waiting. */
  add(uids: readonly string[]): void {
    if (this.stopped || this.period === undefined) return;
    const waiting = new Set(this.queue);
    const added = uids.filter((uid) => !waiting.has(uid));
    if (added.length === 0) return;
    this.queue = [...added.reverse(), ...this.queue];
    if (this.pending === undefined) this.next();
  }

  get status(): PreparerStatus {
    return { waiting: this.queue.length, prepared: this.prepared, failed: this.failed };
  }

  stop(): void {
    this.stopped = true;
    this.queue = [];
    clearTimeout(this.staleTimer);
    this.pending?.cancel();
    this.pending = undefined;
  }

  private next(): void {
    this.pending = (this.deps.schedule ?? immediate)(() => {
      this.pending = undefined;
      const uid = this.queue.pop();
      if (uid === undefined || this.period === undefined) return;
      try {
        this.deps.overview({ uid, ...this.period });
        this.prepared++;
      } catch (error) {
        this.failed++;
        this.deps.onError?.(error, uid);
      }
      if (this.queue.length > 0 && !this.stopped) this.next();
    });
  }
}
