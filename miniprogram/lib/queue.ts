/**
 * A bounded FIFO of fixes waiting to be sent, kept in wx storage so an app that is killed (or a phone that
 * restarts) sends them later. Stored in segments of `segmentSize` items under separate keys: appending rewrites
 * only the last segment, not thousands of queued fixes (wx storage writes are synchronous and a single key holds
 * at most 1 MB). Past `maxItems` the oldest fixes are dropped and counted: during a long outage the newest
 * positions matter most.
 */
import type { WxApi } from './wx-api';

export interface QueueOptions {
  maxItems: number;
  segmentSize: number;
  /** Storage key prefix. */
  prefix: string;
}

export const DEFAULT_QUEUE: QueueOptions = { maxItems: 3000, segmentSize: 100, prefix: 'lodestar.queue.' };

interface Meta {
  first: number;
  last: number;
  dropped: number;
}

type Storage = Pick<WxApi, 'getStorageSync' | 'setStorageSync' | 'removeStorageSync'>;

export class PersistentQueue<T> {
  private readonly segments = new Map<number, T[]>();
  private meta: Meta;
  private count = 0;

  constructor(
    private readonly storage: Storage,
    private readonly options: QueueOptions = DEFAULT_QUEUE,
  ) {
    const stored = storage.getStorageSync(this.metaKey) as Partial<Meta> | '' | undefined;
    const valid =
      typeof stored === 'object' &&
      stored !== null &&
      Number.isSafeInteger(stored.first) &&
      Number.isSafeInteger(stored.last) &&
      (stored.last as number) >= (stored.first as number);
    this.meta = valid
      ? { first: stored.first as number, last: stored.last as number, dropped: Number(stored.dropped) || 0 }
      : { first: 0, last: 0, dropped: 0 };
    for (let id = this.meta.first; id <= this.meta.last; id++) {
      const segment = storage.getStorageSync(this.segmentKey(id));
      const items = Array.isArray(segment) ? (segment as T[]) : [];
      this.segments.set(id, items);
      this.count += items.length;
    }
    this.trim();
  }

  get length(): number {
    return this.count;
  }

  /** Fixes dropped because the queue was full, since the app was installed. */
  get dropped(): number {
    return this.meta.dropped;
  }

  push(item: T): void {
    let last = this.segments.get(this.meta.last) ?? [];
    if (last.length >= this.options.segmentSize) {
      this.meta.last += 1;
      last = [];
      this.writeMeta();
    }
    last.push(item);
    this.segments.set(this.meta.last, last);
    this.count += 1;
    this.write(this.meta.last);
    this.trim();
  }

  /** The oldest `n` items, without removing them. */
  peek(n: number): T[] {
    const out: T[] = [];
    for (let id = this.meta.first; id <= this.meta.last && out.length < n; id++) {
      for (const item of this.segments.get(id) ?? []) {
        if (out.length >= n) break;
        out.push(item);
      }
    }
    return out;
  }

  /**
   * Remove leading items while `sent` says so. Used after a batch is settled: items of that batch the bound
   * dropped meanwhile are already gone, and everything behind the batch stays.
   */
  removeLeading(sent: (item: T) => boolean): number {
    let removed = 0;
    while (this.count > 0) {
      const head = this.segments.get(this.meta.first) ?? [];
      const item = head[0];
      if (item === undefined || !sent(item)) break;
      this.shift();
      removed += 1;
    }
    this.persistHead();
    return removed;
  }

  private trim(): void {
    let dropped = 0;
    while (this.count > this.options.maxItems) {
      this.shift();
      dropped += 1;
    }
    if (dropped > 0) {
      this.meta.dropped += dropped;
      this.persistHead();
    }
  }

  /** Remove the first item in memory; persistHead writes the result. */
  private shift(): void {
    const head = this.segments.get(this.meta.first);
    if (!head || head.length === 0) return;
    head.shift();
    this.count -= 1;
    if (head.length === 0 && this.meta.first < this.meta.last) {
      this.segments.delete(this.meta.first);
      this.storage.removeStorageSync(this.segmentKey(this.meta.first));
      this.meta.first += 1;
    }
  }

  private persistHead(): void {
    this.write(this.meta.first);
    this.writeMeta();
  }

  /** Storage writes that failed (quota full): the queue then lives on in memory only until the next write works. */
  storageErrors = 0;

  private write(id: number): void {
    this.save(this.segmentKey(id), this.segments.get(id) ?? []);
  }

  private writeMeta(): void {
    this.save(this.metaKey, this.meta);
  }

  private save(key: string, value: unknown): void {
    try {
      this.storage.setStorageSync(key, value);
    } catch {
      this.storageErrors += 1;
    }
  }

  private get metaKey(): string {
    return `${this.options.prefix}meta`;
  }

  private segmentKey(id: number): string {
    return `${this.options.prefix}${id}`;
  }
}
