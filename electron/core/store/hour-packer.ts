/**
 * The idle-time packer: writes each closed member-hour's blob (hour-columns.ts) in small steps on a timer, so it
 * never holds the event loop for long (a few hours or STEP_BUDGET_MS a step, STEP_GAP_MS apart while there is
 * work, asleep until the next hour closes when there is none).
 *
 * What it packs: every member's hours from its first row up to the last closed hour (`closedBefore`), found by a
 * scan that hops from one hour with rows to the next and remembers how far it got per member; then each hour
 * as it closes; and hours the writer stored into after they closed (late fixes, catch-ups, backfills: the writer
 * deleted their blobs), once writes into them have paused for QUIET_MS, so a backfill filling an hour over many
 * flushes packs it once. A refused blob and retention's partly deleted hour are packed again at once.
 */
import type { Fix } from '../../../protocol/fix.js';
import { BLOBS_SUPPORTED, HOUR_MS, hourOf } from './hour-blob.js';

/** An hour is closed this long after its end: live fixes reach the station within seconds, uploads every 30 s. */
export const PACK_AFTER_MS = 10 * 60_000;
/** An hour stored into after it closed is packed once no fix has gone into it for this long. */
export const QUIET_MS = 5_000;
export const STEP_BUDGET_MS = 8;
export const STEP_MAX_HOURS = 4;
export const STEP_GAP_MS = 50;
/** After a failed step (disk full, I/O), the next try: the rows are safe, the blobs can wait. */
export const RETRY_MS = 60_000;
/** The longest sleep: a clock set forward is noticed within this. */
const MAX_SLEEP_MS = 10 * 60_000;
/** The blob header keeps the hour as a u32. */
const LAST_HOUR = 2 ** 32 - 1;

/** The first hour that is not closed at `now`: hour h is closed when its end is PACK_AFTER_MS or more ago. */
export function closedBefore(now: number, afterMs = PACK_AFTER_MS): number {
  return Math.min(LAST_HOUR + 1, Math.floor((now - afterMs) / HOUR_MS));
}

export interface PackerStore {
  members(): string[];
  /** The member's first fix time at or after `fromTs`. */
  nextTs(uid: string, fromTs: number): number | undefined;
  hasBlob(uid: string, hour: number): boolean;
  /** Read the hour's rows and write its blob, in one transaction; false when the hour had no rows. */
  pack(uid: string, hour: number): boolean;
}

export interface PackerStatus {
  /** Blobs written since the store opened. */
  packed: number;
  /** Hours known to wait for a blob, and members whose hours are still to be looked through. */
  waitingHours: number;
  membersToScan: number;
  /** Every closed hour with rows had a blob when last looked at, and none waits: a fact to wait for. */
  caughtUp: boolean;
  /** Steps that failed (the write of a blob: disk full, I/O), each retried after RETRY_MS. */
  failedSteps: number;
  /** The longest a timer step held the event loop, ms. */
  longestStepMs: number;
}

interface Waiting {
  uid: string;
  hour: number;
  touchedAt: number;
  /** Its blob is there but refused: written again even so. */
  rebuild: boolean;
}

export class HourPacker {
  /** Per member: hours below were looked at (packed, or had a blob, or had no rows). */
  private readonly frontier = new Map<string, number>();
  private scanning: string[] = [];
  private limit = Number.NEGATIVE_INFINITY;
  private readonly waiting = new Map<string, Waiting>();
  private timer: NodeJS.Timeout | undefined;
  private dueAt = Number.POSITIVE_INFINITY;
  private running = false;
  packed = 0;
  failedSteps = 0;
  longestStepMs = 0;

  constructor(
    private readonly store: PackerStore,
    private readonly now: () => number = Date.now,
    /** A step failed; it is retried after RETRY_MS. */
    private readonly onError?: (error: unknown) => void,
  ) {}

  /** Start stepping on a timer (the first step soon). Without it, only `step` and `packAll` pack. */
  start(): void {
    if (!BLOBS_SUPPORTED) return;
    this.running = true;
    this.schedule(STEP_GAP_MS);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  get status(): PackerStatus {
    return {
      packed: this.packed,
      waitingHours: this.waiting.size,
      membersToScan: this.scanning.length,
      caughtUp:
        BLOBS_SUPPORTED &&
        this.limit === closedBefore(this.now()) &&
        this.scanning.length === 0 &&
        this.waiting.size === 0,
      failedSteps: this.failedSteps,
      longestStepMs: this.longestStepMs,
    };
  }

  /** Newly stored fixes (after their transaction committed): closed hours among them are packed again. */
  stored(fixes: readonly Fix[]): void {
    if (!BLOBS_SUPPORTED || fixes.length === 0) return;
    const now = this.now();
    const open = closedBefore(now);
    // Distinct member-hours first: a backfill's batch of 10,000 fixes touches a few dozen.
    const seen = new Map<string, number[]>();
    for (const fix of fixes) {
      // Live fixes go into the open hour: no work for them beyond this comparison.
      if (!(fix.ts < open * HOUR_MS) || fix.ts < 0) continue;
      const hour = hourOf(fix.ts);
      let hours = seen.get(fix.uid);
      if (hours === undefined) seen.set(fix.uid, (hours = []));
      if (hours.includes(hour)) continue;
      hours.push(hour);
      this.waiting.set(`${fix.uid} ${hour}`, { uid: fix.uid, hour, touchedAt: now, rebuild: false });
    }
    if (this.waiting.size > 0 && this.running) this.schedule(QUIET_MS);
  }

  /** An hour whose blob was refused (`rebuild`) or deleted with some of its rows: packed again at the next step. */
  stale(uid: string, hour: number, rebuild: boolean): void {
    if (!BLOBS_SUPPORTED || hour < 0 || hour > LAST_HOUR) return;
    this.waiting.set(`${uid} ${hour}`, { uid, hour, touchedAt: Number.NEGATIVE_INFINITY, rebuild });
    if (this.running) this.schedule(STEP_GAP_MS);
  }

  /**
   * One step: at most `maxHours` packed or `budgetMs` spent (at least one hour when one is due). Returns how many
   * hours it packed. `ignoreQuiet` packs hours just stored into as well (tests, tools).
   */
  step(budgetMs = STEP_BUDGET_MS, maxHours = STEP_MAX_HOURS, ignoreQuiet = false): number {
    const now = this.now();
    const limit = closedBefore(now);
    if (limit !== this.limit) {
      this.limit = limit;
      this.scanning = this.store.members();
    }
    const started = performance.now();
    let packed = 0;
    const spent = () => packed >= maxHours || performance.now() - started >= budgetMs;
    for (const [key, w] of this.waiting) {
      if (spent()) break;
      if (w.hour >= limit) {
        this.waiting.delete(key); // the scan reaches it once it closes
        continue;
      }
      if (!ignoreQuiet && now - w.touchedAt < QUIET_MS) continue;
      // A blob there now was written after the change that put the hour here (the change deleted it).
      if ((w.rebuild || !this.store.hasBlob(w.uid, w.hour)) && this.store.pack(w.uid, w.hour)) {
        packed++;
        this.packed++;
      }
      // After the pack: when it throws, the hour still waits.
      this.waiting.delete(key);
    }
    while (this.scanning.length > 0 && !spent()) {
      const uid = this.scanning[this.scanning.length - 1]!;
      const from = this.frontier.get(uid) ?? 0;
      const ts = from < limit ? this.store.nextTs(uid, from * HOUR_MS) : undefined;
      const hour = ts === undefined ? limit : hourOf(ts);
      if (hour >= limit) {
        this.frontier.set(uid, Math.max(from, limit));
        this.scanning.pop();
        continue;
      }
      // An hour still being stored into (a backfill, a seeded day) waits for its writes to pause, in `waiting`.
      const busy = this.waiting.has(`${uid} ${hour}`);
      if (!busy && !this.store.hasBlob(uid, hour) && this.store.pack(uid, hour)) {
        packed++;
        this.packed++;
      }
      this.frontier.set(uid, hour + 1);
    }
    return packed;
  }

  /** Step until nothing is due (tests, tools): returns how many hours it packed. */
  packAll(): number {
    let packed = 0;
    for (;;) {
      const n = this.step(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, true);
      packed += n;
      if (this.scanning.length === 0 && this.waiting.size === 0) return packed;
    }
  }

  private run(): void {
    this.timer = undefined;
    this.dueAt = Number.POSITIVE_INFINITY;
    if (!this.running) return;
    const started = performance.now();
    try {
      this.step();
      this.longestStepMs = Math.max(this.longestStepMs, performance.now() - started);
    } catch (error) {
      // From a timer a throw would end the process; the rows are stored, only the blob waits.
      this.failedSteps++;
      this.onError?.(error);
      this.schedule(RETRY_MS);
      return;
    }
    const now = this.now();
    let next: number;
    if (this.scanning.length > 0) next = STEP_GAP_MS;
    else {
      // When the next hour closes, or the first waiting hour has been quiet long enough.
      next = (this.limit + 1) * HOUR_MS + PACK_AFTER_MS - now;
      for (const w of this.waiting.values()) next = Math.min(next, w.touchedAt + QUIET_MS - now);
    }
    this.schedule(Math.min(MAX_SLEEP_MS, Math.max(STEP_GAP_MS, next)));
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    const at = performance.now() + delayMs;
    if (this.timer !== undefined && this.dueAt <= at) return;
    clearTimeout(this.timer);
    this.dueAt = at;
    this.timer = setTimeout(() => this.run(), delayMs);
    this.timer.unref();
  }
}
