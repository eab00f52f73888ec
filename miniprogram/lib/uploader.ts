/**
 * The uploader: turns wx.onLocationChange results into fixes with client ids, drops the ones that add nothing,
 * queues them persistently, and sends them in order, in batches, with retries, until the relay has settled
 * each one. One request at a time, oldest first, so the relay sees every member's fixes in order.
 */
import type { IngestFix } from '../../protocol/ingest';
import type { BackoffOptions } from './backoff';
import { backoffDelay } from './backoff';

/** Phones retry gently: a second at first, at most a minute apart. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 60_000 };
import type { CidSource } from './cid';
import type { Clock } from './clock';
import type { UploaderConfig } from './config';
import { MAX_BATCH, ingestUrl } from './config';
import type { PersistentQueue } from './queue';
import type { Sample, SkipOptions } from './stationary';
import { DEFAULT_SKIP, addsNothing } from './stationary';
import { postBatch } from './transport';
import type { WxApi, WxLocation } from './wx-api';

export type QueuedFix = IngestFix & { ts: number; cid: string };

export interface UploaderOptions {
  api: Pick<WxApi, 'request'>;
  clock: Clock;
  queue: PersistentQueue<QueuedFix>;
  cids: CidSource;
  /** Read before every request, so a token refreshed by the host app's login is used at once. */
  config: () => UploaderConfig;
  /** Send when this many fixes wait... */
  batchSize?: number;
  /** ...or when the oldest waiting fix is this old. */
  batchIntervalMs?: number;
  requestTimeoutMs?: number;
  backoff?: BackoffOptions;
  skip?: SkipOptions;
  random?: () => number;
}

export type UploaderState = 'idle' | 'sending' | 'retrying' | 'offline' | 'token_refused';

export interface UploaderStatus {
  state: UploaderState;
  /** Fixes queued, not yet settled by the relay. */
  waiting: number;
  /** Fixes dropped because the queue was full. */
  dropped: number;
  /** Fixes the relay refused as invalid (never resent). */
  refused: number;
  /** Fixes skipped as adding nothing (member stationary). */
  skipped: number;
  /** The newest fix the relay has settled, and when. */
  lastSent?: { latitude: number; longitude: number; ts: number; sentAt: number };
  /** Why the last request failed, if it did. */
  lastError?: string;
}

export class Uploader {
  private readonly batchSize: number;
  private readonly batchIntervalMs: number;
  private readonly requestTimeoutMs: number;
  private readonly backoff: BackoffOptions;
  private readonly skip: SkipOptions;
  private readonly random: () => number;
  private currentBatchSize: number;
  private sending = false;
  private online = true;
  private tokenRefused = false;
  private attempt = 0;
  private batchTimer: unknown;
  private retryTimer: unknown;
  private lastKept: Sample | undefined;
  private skipped = 0;
  private refused = 0;
  private lastSent: UploaderStatus['lastSent'];
  private lastError: string | undefined;
  private readonly listeners = new Set<(status: UploaderStatus) => void>();
  private disposed = false;

  constructor(private readonly options: UploaderOptions) {
    this.batchSize = Math.min(options.batchSize ?? 20, MAX_BATCH);
    this.currentBatchSize = this.batchSize;
    this.batchIntervalMs = options.batchIntervalMs ?? 5000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.skip = options.skip ?? DEFAULT_SKIP;
    this.random = options.random ?? Math.random;
  }

  /** A wx.onLocationChange result. Returns false when it was skipped as adding nothing. */
  add(location: WxLocation): boolean {
    const ts = this.options.clock.now();
    const sample: Sample = {
      latitude: location.latitude,
      longitude: location.longitude,
      accuracy: location.accuracy,
      ts,
    };
    if (addsNothing(this.lastKept, sample, this.skip)) {
      this.skipped += 1;
      this.emit();
      return false;
    }
    this.lastKept = sample;
    this.options.queue.push(toFix(location, ts, this.options.cids.next()));
    this.schedule();
    this.emit();
    return true;
  }

  /** Send now: the page is shown again or the network is back. Cancels a pending backoff. */
  flushNow(): void {
    this.attempt = 0;
    this.clearTimer('retryTimer');
    this.clearTimer('batchTimer');
    void this.flush();
  }

  /** From wx.onNetworkStatusChange. */
  setOnline(online: boolean): void {
    const wasOnline = this.online;
    this.online = online;
    if (online && !wasOnline) this.flushNow();
    else this.emit();
  }

  /** The host app has a new token: resume sending. */
  tokenChanged(): void {
    this.tokenRefused = false;
    this.flushNow();
  }

  status(): UploaderStatus {
    let state: UploaderState = 'idle';
    if (this.tokenRefused) state = 'token_refused';
    else if (!this.online) state = 'offline';
    else if (this.sending) state = 'sending';
    else if (this.retryTimer !== undefined) state = 'retrying';
    return {
      state,
      waiting: this.options.queue.length,
      dropped: this.options.queue.dropped,
      refused: this.refused,
      skipped: this.skipped,
      lastSent: this.lastSent,
      lastError: this.lastError,
    };
  }

  /** Subscribe to status changes; returns the unsubscribe function. */
  onChange(listener: (status: UploaderStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer('retryTimer');
    this.clearTimer('batchTimer');
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.options.queue.length >= this.currentBatchSize) {
      this.clearTimer('batchTimer');
      void this.flush();
    } else if (this.batchTimer === undefined && this.options.queue.length > 0) {
      this.batchTimer = this.options.clock.setTimeout(() => {
        this.batchTimer = undefined;
        void this.flush();
      }, this.batchIntervalMs);
    }
  }

  private async flush(): Promise<void> {
    if (this.disposed || this.sending || this.tokenRefused || this.retryTimer !== undefined) return;
    if (!this.online) return this.emit();
    const batch = this.options.queue.peek(this.currentBatchSize);
    if (batch.length === 0) return;
    const config = this.options.config();
    if (!config.token) {
      this.tokenRefused = true;
      this.lastError = 'token_missing';
      return this.emit();
    }
    this.sending = true;
    this.emit();
    const answer = await postBatch(
      this.options.api,
      ingestUrl(config),
      config.token,
      batch,
      this.requestTimeoutMs,
    );
    this.sending = false;
    if (this.disposed) return;
    // A 200/422 answer clears the last error; every other answer (even one that settles the batch) is worth showing.
    this.lastError = answer.status === 200 || answer.status === 422 ? undefined : answer.code;
    // A single fix too large for the relay can never be sent: settle it rather than split forever.
    const outcome = answer.outcome === 'split' && batch.length === 1 ? 'done' : answer.outcome;
    switch (outcome) {
      case 'done': {
        const sent = new Set(batch.map((f) => f.cid));
        this.options.queue.removeLeading((f) => sent.has(f.cid));
        this.refused += answer.result ? answer.result.refused.length : batch.length;
        const newest = batch[batch.length - 1];
        if (newest) {
          this.lastSent = {
            latitude: Number(newest.latitude),
            longitude: Number(newest.longitude),
            ts: newest.ts,
            sentAt: this.options.clock.now(),
          };
        }
        this.attempt = 0;
        this.emit();
        // A backlog drains batch after batch; a short remainder waits for the batch timer.
        if (this.options.queue.length >= this.currentBatchSize) void this.flush();
        else this.schedule();
        return;
      }
      case 'split':
        // Kept for later batches too: a relay's limits do not change between requests.
        this.currentBatchSize = Math.max(1, Math.floor(batch.length / 2));
        return void this.flush();
      case 'reauth':
        this.tokenRefused = true;
        return this.emit();
      case 'retry': {
        this.attempt += 1;
        const delay = Math.max(
          // `attempt` counts from 1 here; the backoff's retries count from 0.
          backoffDelay(this.attempt - 1, this.backoff, this.random),
          answer.retryAfterMs ?? 0,
        );
        this.retryTimer = this.options.clock.setTimeout(() => {
          this.retryTimer = undefined;
          void this.flush();
        }, delay);
        return this.emit();
      }
    }
  }

  private clearTimer(name: 'retryTimer' | 'batchTimer'): void {
    if (this[name] !== undefined) this.options.clock.clearTimeout(this[name]);
    this[name] = undefined;
  }

  private emit(): void {
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }
}

/** A wx location as the relay's raw fix shape. wx reports unknown speed or accuracy as -1: leave those out. */
export function toFix(location: WxLocation, ts: number, cid: string): QueuedFix {
  const fix: QueuedFix = {
    longitude: location.longitude,
    latitude: location.latitude,
    ts,
    crs: 'gcj02',
    cid,
  };
  for (const key of ['speed', 'accuracy', 'altitude', 'verticalAccuracy', 'horizontalAccuracy'] as const) {
    const value = location[key];
    if (typeof value === 'number' && Number.isFinite(value) && (key === 'altitude' || value >= 0))
      fix[key] = value;
  }
  return fix;
}
