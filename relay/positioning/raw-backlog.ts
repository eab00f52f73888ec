/**
 * Raw messages that reached the relay's subscriber while its command connection could not position them (Redis
 * restarting, the command connection reconnecting later than the subscriber). They are held here, in arrival
 * order, and positioned once the connection is back, instead of being dropped: a fix that reached a relay must not
 * be lost to a reconnect. Bounded by count, bytes and age, so an outage cannot grow the relay's memory without
 * limit; what the bound refuses never got an offset, and is reported (per member) so stations are told.
 *
 * Pure state with an injected clock: the positioned source (positioned-source.ts) is the shell around it.
 */

export interface BacklogLimits {
  /** Most messages held (default 100,000: ~8 minutes at 200 fixes/s). */
  maxMessages: number;
  /** Most bytes of raw message text held (default 32 MiB). */
  maxBytes: number;
  /** A message held longer than this is given up (default 5 minutes): it is no longer live, and Redis is gone. */
  maxAgeMs: number;
}

export const DEFAULT_BACKLOG_LIMITS: BacklogLimits = {
  maxMessages: 100_000,
  maxBytes: 32 * 1024 * 1024,
  maxAgeMs: 5 * 60_000,
};

export interface HeldMessage<T> {
  uid: string;
  /** The raw text (its length counts against maxBytes; it is the sample of a drop report). */
  message: string;
  value: T;
  heldAt: number;
}

export type DropReason = 'backlog_full' | 'backlog_expired';

export class RawBacklog<T> {
  private queue: HeldMessage<T>[] = [];
  private head = 0;
  private bytes = 0;

  constructor(private readonly limits: BacklogLimits = DEFAULT_BACKLOG_LIMITS) {}

  get size(): number {
    return this.queue.length - this.head;
  }

  /** Hold one message; returns the reason when the bound refuses it (the caller counts and reports the drop). */
  hold(entry: HeldMessage<T>): DropReason | undefined {
    if (this.size >= this.limits.maxMessages || this.bytes + entry.message.length > this.limits.maxBytes) {
      return 'backlog_full';
    }
    this.queue.push(entry);
    this.bytes += entry.message.length;
    return undefined;
  }

  /**
   * Take up to `count` messages, oldest first, to position now. Messages held past maxAgeMs come back in
   * `expired` instead (not positioned: the caller drops and reports them).
   */
  take(count: number, now: number): { ready: HeldMessage<T>[]; expired: HeldMessage<T>[] } {
    const ready: HeldMessage<T>[] = [];
    const expired: HeldMessage<T>[] = [];
    while (ready.length < count && this.head < this.queue.length) {
      const entry = this.queue[this.head] as HeldMessage<T>;
      this.head++;
      this.bytes -= entry.message.length;
      if (now - entry.heldAt > this.limits.maxAgeMs) expired.push(entry);
      else ready.push(entry);
    }
    // Compact once the consumed prefix is large: shift() per message would be O(n) each.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return { ready, expired };
  }

  /** Put messages back at the front, in order (the connection went away again mid-drain). */
  requeue(entries: readonly HeldMessage<T>[]): void {
    if (entries.length === 0) return;
    this.queue = [...entries, ...this.queue.slice(this.head)];
    this.head = 0;
    for (const e of entries) this.bytes += e.message.length;
  }
}

/** Per-member counts of messages that never got an offset, collected until the next report to stations. */
export class LostTally {
  private counts = new Map<string, number>();

  add(uid: string, count = 1): void {
    this.counts.set(uid, (this.counts.get(uid) ?? 0) + count);
  }

  get empty(): boolean {
    return this.counts.size === 0;
  }

  /** Everything counted since the last call, and start again. */
  takeAll(): Map<string, number> {
    const taken = this.counts;
    this.counts = new Map();
    return taken;
  }
}
