/**
 * Members' fixes as packed columns per hour, kept in memory, so reading a period a dispatcher already looked at
 * (the same day again, other settings, another member added to the selection) copies arrays instead of walking
 * SQLite's rows again: a day at 1 Hz is ~45 ms from SQLite, ~2 ms from here (docs/benchmarks.md, "History").
 *
 * An hour stays valid until the writer stores a fix in it (the store drops it on every flush that inserted
 * there, before anyone else hears of the flush) or retention deletes rows (the store clears everything). The
 * oldest-used hours go first once the cache holds `maxBytes`.
 */
import type { TrackColumns } from '../../../contract/station-api.js';
import type { Fix } from '../../../protocol/fix.js';
import { concatColumns } from '../../../contract/track/columns.js';

export const BLOCK_MS = 3_600_000;
/** ~25 member-days at 1 Hz: a dispatcher's usual selection and the day before it. */
export const RANGE_CACHE_BYTES = 96 * 1024 * 1024;
/** Longer ranges are read straight from SQLite: the cache would only push out what is looked at more often. */
const MAX_CACHED_BLOCKS = 24 * 8;
const BYTES_PER_FIX = 8 * 3 + 4 * 3 + 1 + 1;
const BLOCK_OVERHEAD_BYTES = 512;

type Read = (uid: string, from: number, to: number) => TrackColumns;

/** First index with ts >= t (ts sorted). */
function lowerBound(ts: Float64Array, count: number, t: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class RangeCache {
  /** uid → block number → columns of that hour. */
  private readonly byMember = new Map<string, Map<number, TrackColumns>>();
  /** Every cached block by `uid block`, least recently used first. */
  private readonly order = new Map<string, { uid: string; block: number; bytes: number }>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly read: Read,
    private readonly maxBytes = RANGE_CACHE_BYTES,
  ) {}

  /** The member's fixes with from <= ts <= to, as fresh columns the caller may keep or change. */
  range(uid: string, from: number, to: number): TrackColumns {
    const first = Math.floor(from / BLOCK_MS);
    const last = Math.floor(to / BLOCK_MS);
    if (this.maxBytes <= 0 || !(last >= first) || last - first >= MAX_CACHED_BLOCKS)
      return this.read(uid, from, to);
    const parts: { columns: TrackColumns; start: number; end: number }[] = [];
    for (let b = first; b <= last; b++) {
      const columns = this.block(uid, b);
      const start = b === first ? lowerBound(columns.ts, columns.count, from) : 0;
      const end = b === last ? lowerBound(columns.ts, columns.count, Math.floor(to) + 1) : columns.count;
      if (end > start) parts.push({ columns, start, end });
    }
    return concatColumns(uid, parts);
  }

  /** Newly stored fixes: the hours they fall in are read again next time. */
  invalidate(fixes: readonly Fix[]): void {
    if (this.byMember.size === 0) return;
    for (const fix of fixes) {
      const blocks = this.byMember.get(fix.uid);
      if (blocks === undefined) continue;
      const block = Math.floor(fix.ts / BLOCK_MS);
      if (blocks.has(block)) this.drop(fix.uid, block);
    }
  }

  clear(): void {
    this.byMember.clear();
    this.order.clear();
    this.bytes = 0;
  }

  get cachedBytes(): number {
    return this.bytes;
  }

  private block(uid: string, block: number): TrackColumns {
    const key = `${uid} ${block}`;
    const cached = this.byMember.get(uid)?.get(block);
    if (cached) {
      this.hits++;
      const entry = this.order.get(key)!;
      this.order.delete(key);
      this.order.set(key, entry);
      return cached;
    }
    this.misses++;
    // The block's last millisecond: fix times are integers (the store refuses others).
    const columns = this.read(uid, block * BLOCK_MS, (block + 1) * BLOCK_MS - 1);
    const bytes = columns.count * BYTES_PER_FIX + BLOCK_OVERHEAD_BYTES;
    let blocks = this.byMember.get(uid);
    if (!blocks) {
      blocks = new Map();
      this.byMember.set(uid, blocks);
    }
    blocks.set(block, columns);
    this.order.set(key, { uid, block, bytes });
    this.bytes += bytes;
    this.evict(key);
    return columns;
  }

  /** Oldest-used blocks out until under the limit, keeping `keep` (the block being returned). */
  private evict(keep: string): void {
    for (const [key, entry] of this.order) {
      if (this.bytes <= this.maxBytes) return;
      if (key === keep) continue;
      this.drop(entry.uid, entry.block);
    }
  }

  private drop(uid: string, block: number): void {
    const key = `${uid} ${block}`;
    const entry = this.order.get(key);
    if (!entry) return;
    this.order.delete(key);
    this.bytes -= entry.bytes;
    const blocks = this.byMember.get(uid);
    blocks?.delete(block);
    if (blocks?.size === 0) this.byMember.delete(uid);
  }
}
