/**
 * Which occurrence of identical raw bytes this is. The customer's PHP publishes `{"uid","longitude","latitude"}`
 * without a time, so a member standing still sends the same bytes again and again: hashing the bytes alone would
 * make every repeat within the idempotency TTL look like the first message and drop it. Every relay subscribed to
 * the raw channel sees the same messages in the same order, so "the n-th time these bytes arrived within the TTL"
 * names the same message on every relay, and `n` goes into the idempotency key.
 *
 * Pure and per relay process; a relay that starts while identical bytes are repeating counts from 1 again, so
 * until their TTL passes its repeats may be taken for ones another relay positioned (documented in docs/scaling.md).
 */
export class RepeatCounter {
  /** raw message → its count and when it was last seen; Map order is last-seen order, so pruning stops early. */
  private readonly seen = new Map<string, { n: number; at: number }>();

  constructor(private readonly ttlMs: number) {}

  /** 1 for bytes not seen within the TTL, then 2, 3, … for each repeat. */
  next(raw: string, now: number): number {
    this.prune(now);
    const previous = this.seen.get(raw);
    const n = previous ? previous.n + 1 : 1;
    this.seen.delete(raw);
    this.seen.set(raw, { n, at: now });
    return n;
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(now: number): void {
    for (const [raw, entry] of this.seen) {
      if (now - entry.at <= this.ttlMs) break;
      this.seen.delete(raw);
    }
  }
}
