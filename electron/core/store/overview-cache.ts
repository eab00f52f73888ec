/**
 * Overviews of closed periods, kept in memory, so looking at a period again, or at one the station prepared ahead
 * (overview-preparer.ts), answers without reading and analysing every fix: a member-day's overview took 14-94 ms
 * on a first look (store read, analysis, outline; garbage collection of their 3 MB of scratch arrays) and is
 * ~130 kB to keep (docs/benchmarks.md, "History").
 *
 * Only closed periods (`to` before now): an open one changes with every fix, and its silence past now is not a gap
 * yet. A closed period's overview changes only when rows or holes inside it change, and the store says so: every
 * flush's inserted fixes (before anyone else hears of the flush), every recorded hole, retention (everything).
 * The oldest-used entries go first once the cache holds `maxBytes`.
 *
 * What it hands out is shared between callers: read-only, as every overview the station sends already is.
 */
import type { Fix } from '../../../protocol/fix.js';
import type { TrackOverview } from '../../../contract/track/overview.js';
import type { TrackSettings } from '../../../contract/track/settings.js';

/** ~250 member-days of overviews: a dispatcher's day and the day before, for a large team. */
export const OVERVIEW_CACHE_BYTES = 32 * 1024 * 1024;
/** Bookkeeping, settings, the figures: roughly, per overview. */
const ENTRY_OVERHEAD_BYTES = 4_096;

export interface OverviewKey {
  uid: string;
  from: number;
  to: number;
  /** Normalised: the same cut always spells the same key. */
  settings: TrackSettings;
}

interface Entry {
  key: string;
  uid: string;
  from: number;
  to: number;
  overview: TrackOverview;
  bytes: number;
}

export interface OverviewCacheStatus {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
}

/** Bytes an overview holds: its typed arrays and a rough allowance for the rest. */
export function overviewBytes(overview: TrackOverview): number {
  const { outline, counts, analysis, arrival, holes } = overview;
  return (
    outline.index.byteLength +
    outline.lat.byteLength +
    outline.lon.byteLength +
    outline.crs.byteLength +
    outline.segments.length * 32 +
    counts.counts.byteLength +
    (analysis.segments.length + analysis.stops.length + analysis.gaps.length) * 96 +
    // Arrival runs are not capped: a phone uploading in bursts near the lateness limit makes thousands.
    (arrival.filled.length + arrival.late.length + arrival.unknown.length + holes.length) * 64 +
    ENTRY_OVERHEAD_BYTES
  );
}

function keyOf({ uid, from, to, settings }: OverviewKey): string {
  const cut = (Object.keys(settings) as (keyof TrackSettings)[])
    .sort()
    .map((name) => `${name}=${settings[name]}`)
    .join(',');
  return `${uid}\u0000${from}\u0000${to}\u0000${cut}`;
}

export class OverviewCache {
  /** Least recently used first (a hit moves its entry to the end). */
  private readonly entries = new Map<string, Entry>();
  private readonly byMember = new Map<string, Set<Entry>>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;

  constructor(private readonly maxBytes = OVERVIEW_CACHE_BYTES) {}

  /** The period's overview, from the cache when it is closed at `now` and was computed before; else `compute()`. */
  get(key: OverviewKey, now: number, compute: () => TrackOverview): TrackOverview {
    if (!(key.to < now) || this.maxBytes <= 0) return compute();
    const k = keyOf(key);
    const cached = this.entries.get(k);
    if (cached !== undefined) {
      this.hits++;
      this.entries.delete(k);
      this.entries.set(k, cached);
      return cached.overview;
    }
    this.misses++;
    const overview = compute();
    const entry: Entry = {
      key: k,
      uid: key.uid,
      from: key.from,
      to: key.to,
      overview,
      bytes: overviewBytes(overview),
    };
    if (entry.bytes > this.maxBytes) return overview;
    this.entries.set(k, entry);
    let mine = this.byMember.get(key.uid);
    if (mine === undefined) this.byMember.set(key.uid, (mine = new Set()));
    mine.add(entry);
    this.bytes += entry.bytes;
    for (const oldest of this.entries.values()) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(oldest);
    }
    return overview;
  }

  /** Whether a closed period's overview is kept, without counting it as a use (the preparer skips those). */
  has(key: OverviewKey): boolean {
    return this.entries.has(keyOf(key));
  }

  /**
   * Newly stored fixes: every kept period of their member that contains one of them is computed again. Returns
   * the periods dropped.
   */
  invalidate(fixes: readonly Fix[]): { uid: string; from: number; to: number }[] {
    const dropped: { uid: string; from: number; to: number }[] = [];
    if (this.entries.size === 0) return dropped;
    for (const fix of fixes) {
      const mine = this.byMember.get(fix.uid);
      if (mine === undefined) continue;
      for (const entry of mine)
        if (fix.ts >= entry.from && fix.ts <= entry.to) {
          this.drop(entry);
          dropped.push({ uid: entry.uid, from: entry.from, to: entry.to });
        }
    }
    return dropped;
  }

  /** A change to [from, to] of a member's track (a recorded hole): the periods overlapping it go. */
  invalidateSpan(uid: string, from: number, to: number): void {
    const mine = this.byMember.get(uid);
    if (mine === undefined) return;
    for (const entry of mine) if (entry.from <= to && from <= entry.to) this.drop(entry);
  }

  /** Retention deleted rows and holes before `cutoff`: the periods reaching before it go. */
  dropBefore(cutoff: number): void {
    for (const entry of this.entries.values()) if (entry.from < cutoff) this.drop(entry);
  }

  get status(): OverviewCacheStatus {
    return { entries: this.entries.size, bytes: this.bytes, hits: this.hits, misses: this.misses };
  }

  private drop(entry: Entry): void {
    if (!this.entries.delete(entry.key)) return;
    this.bytes -= entry.bytes;
    const mine = this.byMember.get(entry.uid);
    mine?.delete(entry);
    if (mine?.size === 0) this.byMember.delete(entry.uid);
  }
}
