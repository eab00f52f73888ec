/**
 * Live state outside React (traccar-web's session store): the latest fix per member plus a capped trail. Pushing
 * is O(1) per fix and never renders anything; listeners (the map layers) hear once per frame which members
 * changed and read the state themselves.
 */
import type { Fix } from '../../../protocol/fix-types.js';
import { FrameThrottle, type FrameScheduler } from './frame-throttle.js';

export interface LiveStoreOptions {
  /** Trail points kept per member; the oldest go first. */
  trailCap: number;
  /** A trail point closer in time than this to the previous one replaces it instead of adding one. */
  trailMinIntervalMs: number;
  schedule: FrameScheduler;
}

export const DEFAULT_LIVE_STORE_OPTIONS: Omit<LiveStoreOptions, 'schedule'> = {
  trailCap: 300,
  trailMinIntervalMs: 2_000,
};

/** A fixed-size ring of fixes: appending past the cap drops the oldest without moving memory. */
export class FixRing {
  private readonly items: (Fix | undefined)[];
  private start = 0;
  private length = 0;

  constructor(readonly cap: number) {
    this.items = new Array<Fix | undefined>(cap);
  }

  get size(): number {
    return this.length;
  }

  /** The i-th fix from the end (0 = newest). */
  fromEnd(i: number): Fix | undefined {
    return i >= this.length ? undefined : this.items[(this.start + this.length - 1 - i) % this.cap];
  }

  push(fix: Fix): void {
    if (this.length < this.cap) {
      this.items[(this.start + this.length) % this.cap] = fix;
      this.length++;
    } else {
      this.items[this.start] = fix;
      this.start = (this.start + 1) % this.cap;
    }
  }

  replaceLast(fix: Fix): void {
    if (this.length === 0) this.push(fix);
    else this.items[(this.start + this.length - 1) % this.cap] = fix;
  }

  toArray(): Fix[] {
    const out: Fix[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.items[(this.start + i) % this.cap] as Fix);
    return out;
  }
}

/**
 * What a trail does with a new fix. The newest trail point always follows the member (so the trail reaches the
 * marker), but it only becomes a kept point once it is `minIntervalMs` past the point before it: until then the
 * next fix replaces it. Pure, so the rules are table-tested.
 */
export function trailDecision(
  beforeLast: Pick<Fix, 'ts'> | undefined,
  last: Pick<Fix, 'ts'> | undefined,
  next: Pick<Fix, 'ts'>,
  minIntervalMs: number,
): 'append' | 'replace' | 'ignore' {
  if (!last) return 'append';
  // Out-of-order fixes (a catch-up replay) belong to history, not to the live trail's tail.
  if (next.ts < last.ts) return 'ignore';
  if (!beforeLast) return 'append';
  return last.ts - beforeLast.ts < minIntervalMs ? 'replace' : 'append';
}

export type ChangeListener = (changed: ReadonlySet<string>) => void;

export class LiveStore {
  private readonly latestByUid = new Map<string, Fix>();
  private readonly trails = new Map<string, FixRing>();
  private readonly listeners = new Set<ChangeListener>();
  private dirty = new Set<string>();
  private readonly throttle: FrameThrottle;
  /** Fixes received in total, for the status bar and tests. */
  received = 0;

  constructor(private readonly options: LiveStoreOptions) {
    this.throttle = new FrameThrottle(options.schedule, () => this.deliver());
  }

  push(fixes: readonly Fix[]): void {
    for (const fix of fixes) {
      this.received++;
      const current = this.latestByUid.get(fix.uid);
      if (!current || fix.ts >= current.ts) this.latestByUid.set(fix.uid, fix);
      let ring = this.trails.get(fix.uid);
      if (!ring) {
        ring = new FixRing(this.options.trailCap);
        this.trails.set(fix.uid, ring);
      }
      const decision = trailDecision(ring.fromEnd(1), ring.fromEnd(0), fix, this.options.trailMinIntervalMs);
      if (decision === 'append') ring.push(fix);
      else if (decision === 'replace') ring.replaceLast(fix);
      this.dirty.add(fix.uid);
    }
    if (fixes.length > 0) this.throttle.request();
  }

  /** Forget a member (unwatched): listeners hear it as changed and find no latest fix. */
  remove(uid: string): void {
    if (!this.latestByUid.delete(uid) && !this.trails.delete(uid)) return;
    this.trails.delete(uid);
    this.dirty.add(uid);
    this.throttle.request();
  }

  latest(uid: string): Fix | undefined {
    return this.latestByUid.get(uid);
  }

  uids(): string[] {
    return [...this.latestByUid.keys()];
  }

  trail(uid: string): Fix[] {
    return this.trails.get(uid)?.toArray() ?? [];
  }

  /** Trail points newer than `afterTs`, oldest first, without copying the whole trail (drawn every second). */
  trailSince(uid: string, afterTs: number): Fix[] {
    const ring = this.trails.get(uid);
    const out: Fix[] = [];
    if (!ring) return out;
    for (let i = 0; i < ring.size; i++) {
      const fix = ring.fromEnd(i) as Fix;
      if (fix.ts <= afterTs) break;
      out.push(fix);
    }
    return out.reverse();
  }

  /** Time of the oldest point still in the member's trail; older drawn points are past the cap. */
  trailOldestTs(uid: string): number | undefined {
    const ring = this.trails.get(uid);
    return ring && ring.size > 0 ? ring.fromEnd(ring.size - 1)?.ts : undefined;
  }

  /** Called once per frame with the members that changed since the last call; returns the unsubscribe. */
  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private deliver(): void {
    if (this.dirty.size === 0) return;
    const changed = this.dirty;
    this.dirty = new Set();
    for (const listener of this.listeners) listener(changed);
  }
}
