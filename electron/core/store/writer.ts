/**
 * The batched writer: `enqueue` only pushes onto an array (the relay client calls it from the socket's message
 * handler); a timer writes the queue in one transaction at least every `flushIntervalMs`, and sooner when a batch
 * reaches `maxBatch`. Duplicates are skipped by the table's unique keys (`INSERT OR IGNORE`), and each flush
 * reports which fixes were new, so the station shows and counts only those.
 *
 * A failed write never loses what is stored (the transaction rolls back) and never throws into the caller: it
 * is counted, reported with a code, and when transient (disk full, I/O) the batch is kept and retried after
 * `retryDelayMs`, up to `maxRetained` fixes.
 */
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Fix } from '../../../protocol/fix.js';
import type { Unsubscribe } from '../../../contract/station-api.js';
import { StoreError, classifyWriteError, sqliteCodeOf } from './errors.js';
import type { StoreErrorCode } from './errors.js';
import { INSERT_FIX_SQL, isStorableFix, runInsert, type Arrival } from './rows.js';
import type { FlushResult } from './types.js';

export interface WriterOptions {
  flushIntervalMs?: number;
  maxBatch?: number;
  retryDelayMs?: number;
  maxRetained?: number;
  logger?: Logger;
  /**
   * Runs inside each batch's transaction after its inserts, with the fixes that were new: data derived from the
   * rows (hour-columns.ts) is dropped in the same commit as the change, never after it.
   */
  inTransaction?: (inserted: readonly Fix[]) => void;
}

export const WRITER_DEFAULTS = {
  flushIntervalMs: 100,
  maxBatch: 10_000,
  retryDelayMs: 1_000,
  maxRetained: 200_000,
} as const;

/** Fixes waiting to be written, and beside each (same index) how it arrived: shared objects, none per fix. */
interface Pending {
  fixes: Fix[];
  arrivals: Arrival[];
}

const nonePending = (): Pending => ({ fixes: [], arrivals: [] });

export class BatchWriter {
  private queue: Pending = nonePending();
  /** Fixes of failed batches, written before `queue` on the next attempt; already counted in `writeErrors`. */
  private retained: Pending = nonePending();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private retryNotBefore = 0;
  private closed = false;
  /** While an explicit flush runs, the timer stays out of its way so the flush's result holds every fix it wrote. */
  private flushing = 0;
  private readonly listeners = new Set<(result: FlushResult) => void>();
  /** One transaction per batch; pushes the fixes that were new (changes > 0) onto `inserted`. */
  private readonly insertMany: (batch: Pending, inserted: Fix[]) => void;
  private readonly options: Required<Omit<WriterOptions, 'logger' | 'inTransaction'>>;
  private readonly logger: Logger | undefined;

  writeErrors = 0;
  dropped = 0;
  lastError: { code: StoreErrorCode; message: string; at: number } | undefined;

  constructor(db: Database.Database, options: WriterOptions = {}) {
    this.options = {
      flushIntervalMs: options.flushIntervalMs ?? WRITER_DEFAULTS.flushIntervalMs,
      maxBatch: options.maxBatch ?? WRITER_DEFAULTS.maxBatch,
      retryDelayMs: options.retryDelayMs ?? WRITER_DEFAULTS.retryDelayMs,
      maxRetained: options.maxRetained ?? WRITER_DEFAULTS.maxRetained,
    };
    this.logger = options.logger;
    const insert = db.prepare(INSERT_FIX_SQL);
    const inTransaction = options.inTransaction;
    this.insertMany = db.transaction((batch: Pending, inserted: Fix[]) => {
      const { fixes, arrivals } = batch;
      for (let i = 0; i < fixes.length; i++) {
        if (runInsert(insert, fixes[i]!, arrivals[i]!) > 0) inserted.push(fixes[i]!);
      }
      inTransaction?.(inserted);
    });
  }

  get pending(): number {
    return this.queue.fixes.length + this.retained.fixes.length;
  }

  /** `arrival` defaults to now, live. */
  enqueue(fixes: Fix | readonly Fix[], arrival?: Arrival): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', 'the track store is closed');
    const how = arrival ?? { receivedAt: Date.now(), replay: false };
    if (Array.isArray(fixes)) {
      for (const fix of fixes as readonly Fix[]) this.push(fix, how);
    } else {
      this.push(fixes as Fix, how);
    }
    this.schedule();
  }

  onFlush(listener: (result: FlushResult) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Write everything queued now, in `maxBatch` transactions with a turn of the event loop between them. */
  async flush(): Promise<FlushResult> {
    const total: FlushResult = { inserted: [], duplicates: 0, failed: 0 };
    // A flush asked for explicitly retries at once rather than waiting for the retry delay.
    this.retryNotBefore = 0;
    this.flushing++;
    try {
      await this.drain(total);
    } finally {
      this.flushing--;
      this.schedule();
    }
    return total;
  }

  private async drain(total: FlushResult): Promise<void> {
    while (this.pending > 0) {
      const result = this.writeBatch();
      for (const fix of result.inserted) total.inserted.push(fix);
      total.duplicates += result.duplicates;
      total.failed += result.failed;
      if (result.error) {
        total.error = result.error;
        break;
      }
      if (this.pending > 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Stop the timers after a last flush. */
  async close(): Promise<FlushResult> {
    const result = await this.flush();
    this.closed = true;
    this.clearTimers();
    return result;
  }

  private push(fix: Fix, arrival: Arrival): void {
    if (isStorableFix(fix)) {
      this.queue.fixes.push(fix);
      this.queue.arrivals.push(arrival);
    } else {
      this.dropped++;
      this.recordError('STORE_BAD_FIX', 'a fix with missing or out-of-range fields was not stored');
    }
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.queue.fixes.length >= this.options.maxBatch) {
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        this.tick();
      });
    } else if (this.timer === undefined && this.pending > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.tick();
      }, this.options.flushIntervalMs);
    }
  }

  private tick(): void {
    if (this.closed) return;
    if (this.flushing > 0) return; // the running flush writes the queue and reschedules after
    if (Date.now() >= this.retryNotBefore && this.pending > 0) this.writeBatch();
    this.schedule();
  }

  private writeBatch(): FlushResult {
    const take = this.options.maxBatch;
    const fromRetained = Math.min(this.retained.fixes.length, take);
    const fresh = takeFront(this.queue, take - fromRetained);
    this.queue = fresh.rest;
    let batch = fresh.taken;
    if (fromRetained > 0) {
      const retained = takeFront(this.retained, fromRetained);
      this.retained = retained.rest;
      batch = {
        fixes: retained.taken.fixes.concat(batch.fixes),
        arrivals: retained.taken.arrivals.concat(batch.arrivals),
      };
    }

    const inserted: Fix[] = [];
    let result: FlushResult;
    try {
      this.insertMany(batch, inserted);
      result = { inserted, duplicates: batch.fixes.length - inserted.length, failed: 0 };
    } catch (cause) {
      const { code, retry } = classifyWriteError(sqliteCodeOf(cause));
      const error = new StoreError(
        code,
        `writing ${batch.fixes.length} fixes failed: ${(cause as Error).message}`,
        {
          cause,
        },
      );
      this.writeErrors += fresh.taken.fixes.length;
      this.recordError(code, error.message);
      if (retry) {
        this.retain(batch);
        this.retryNotBefore = Date.now() + this.options.retryDelayMs;
      } else {
        this.dropped += batch.fixes.length;
      }
      result = { inserted: [], duplicates: 0, failed: batch.fixes.length, error };
    }
    for (const listener of this.listeners) {
      // A listener's bug must not stop the writer (this often runs from a timer, where a throw kills the process).
      try {
        listener(result);
      } catch (error) {
        this.logger?.error({ err: error }, 'store flush listener threw');
      }
    }
    return result;
  }

  private retain(batch: Pending): void {
    const merged = {
      fixes: batch.fixes.concat(this.retained.fixes),
      arrivals: batch.arrivals.concat(this.retained.arrivals),
    };
    const overflow = merged.fixes.length - this.options.maxRetained;
    if (overflow > 0) {
      // Keep the newest: the relay can replay older fixes after a reconnect, but the dispatcher needs the latest.
      merged.fixes.splice(0, overflow);
      merged.arrivals.splice(0, overflow);
      this.dropped += overflow;
      this.recordError('STORE_OVERFLOW', `${overflow} fixes dropped: the retry queue is full`);
    }
    this.retained = merged;
  }

  private recordError(code: StoreErrorCode, message: string): void {
    const previous = this.lastError;
    this.lastError = { code, message, at: Date.now() };
    // One log line per change of error, not one per failed batch: a full disk fails every 100 ms.
    if (previous?.code !== code) this.logger?.error({ code }, message);
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }
}

/** The first `n` fixes and the rest, without copying when the whole queue goes (the usual case). */
function takeFront(items: Pending, n: number): { taken: Pending; rest: Pending } {
  if (n >= items.fixes.length) return { taken: items, rest: nonePending() };
  return {
    taken: { fixes: items.fixes.slice(0, n), arrivals: items.arrivals.slice(0, n) },
    rest: { fixes: items.fixes.slice(n), arrivals: items.arrivals.slice(n) },
  };
}
