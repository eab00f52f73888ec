/**
 * Overviews of a closed period analysed ahead, one member per step, so the review a dispatcher most often opens
 * (yesterday: the page asks for it when it is first idle) answers from the overview cache instead of reading and
 * analysing every fix on the click. A step is one member's overview (~10-50 ms); between steps the event loop
 * serves everything else, so a load the dispatcher starts meanwhile waits for at most one step.
 *
 * A new period replaces the one being prepared: only the latest ask matters (the page asks again when the day
 * changes). An overview already kept is skipped without counting as a use (overview-cache.ts keeps the oldest-used
 * order for the dispatcher's own looks).
 */
import type { OverviewQuery } from '../../../contract/station-api.js';
import type { Fix } from '../../../protocol/fix.js';

/**
 * Most members prepared for one ask (the first of the watch list, then members watched later): 100 member-days of
 * ~130 kB are ~13 MB, two fifths of the overview cache (overview-cache.ts), which keeps the rest for the periods a
 * dispatcher opened. More would push out what was just prepared, and those periods, oldest first.
 */
export const MAX_PREPARED_MEMBERS = 100;

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
  /** Computes one member's overview and keeps it (nothing when it is kept already); what it returns is not used. */
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
  /** The members of the current ask, at most MAX_PREPARED_MEMBERS. */
  private asked = new Set<string>();
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
    this.asked = new Set([...new Set(this.deps.members())].slice(0, MAX_PREPARED_MEMBERS));
    this.staleMembers.clear();
    this.queue = [...this.asked].reverse();
    if (this.queue.length > 0 && this.pending === undefined) this.next();
    return this.asked.size;
  }

  /**
   * After a flush: `dropped` are the kept overviews it invalidated, `inserted` what it wrote. Members whose prepared
   * period was written into (a catch-up filling the night, a backfill) are prepared again once writes into that
   * period have paused for `quietMs`; flushes that write elsewhere (today's live fixes) do not hold that back.
   */
  stale(dropped: readonly { uid: string; from: number; to: number }[], inserted: readonly Fix[]): void {
    const period = this.period;
    if (this.stopped || period === undefined) return;
    let written = false;
    for (const d of dropped)
      if (d.from === period.from && d.to === period.to && this.asked.has(d.uid)) {
        this.staleMembers.add(d.uid);
        written = true;
      }
    if (this.staleMembers.size === 0) return;
    if (!written)
      written = inserted.some(
        (fix) => fix.ts >= period.from && fix.ts <= period.to && this.staleMembers.has(fix.uid),
      );
    if (!written) return;
    clearTimeout(this.staleTimer);
    this.staleTimer = setTimeout(() => {
      const uids = [...this.staleMembers];
      this.staleMembers.clear();
      this.requeue(uids);
    }, this.deps.quietMs ?? STALE_QUIET_MS);
    this.staleTimer.unref?.();
  }

  /** Members just added to the watch list: prepared for the last period asked, while the ask has room. */
  add(uids: readonly string[]): void {
    if (this.stopped || this.period === undefined) return;
    const added: string[] = [];
    for (const uid of uids) {
      if (this.asked.has(uid)) continue;
      if (this.asked.size >= MAX_PREPARED_MEMBERS) break;
      this.asked.add(uid);
      added.push(uid);
    }
    this.requeue(added);
  }

  /** A member no longer watched: not prepared any more. */
  remove(uid: string): void {
    this.asked.delete(uid);
    this.staleMembers.delete(uid);
    this.queue = this.queue.filter((u) => u !== uid);
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

  /** Members of the ask to prepare (again), after those waiting. */
  private requeue(uids: readonly string[]): void {
    if (this.stopped) return;
    const waiting = new Set(this.queue);
    const fresh = uids.filter((uid) => this.asked.has(uid) && !waiting.has(uid));
    if (fresh.length === 0) return;
    this.queue = [...fresh.reverse(), ...this.queue];
    if (this.pending === undefined) this.next();
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
