/**
 * Member → watching connections, and the dispatch of one fix to them. A fix is serialized once and the same string
 * goes to every watcher. Connections are only registered for members their token allows (checked on watch and on
 * every token refresh), so dispatch needs no further check.
 */
import type { Fix, PositionedFix } from '../protocol/fix.js';
import type { RelayMetrics } from './metrics.js';
import type { StationConnection } from './station/connection.js';
import { encodeWrappedTextFrame } from './station/ws-frame.js';

/** The `fix` message around a fix's JSON (protocol/messages.ts), as bytes to frame it without joining strings. */
const FIX_MESSAGE_PREFIX = Buffer.from('{"type":"fix","fix":');
const FIX_MESSAGE_SUFFIX = Buffer.from('}');

export class Fanout {
  private readonly watchers = new Map<string, Set<StationConnection>>();
  private watchCount = 0;

  constructor(private readonly metrics: RelayMetrics) {}

  add(uid: string, station: StationConnection): void {
    let set = this.watchers.get(uid);
    if (!set) {
      set = new Set();
      this.watchers.set(uid, set);
    }
    if (!set.has(station)) {
      set.add(station);
      this.watchCount++;
    }
  }

  remove(uid: string, station: StationConnection): void {
    const set = this.watchers.get(uid);
    if (!set?.delete(station)) return;
    this.watchCount--;
    if (set.size === 0) this.watchers.delete(uid);
  }

  removeStation(station: StationConnection): void {
    for (const uid of station.watched) this.remove(uid, station);
  }

  /** Distinct members with at least one watcher. */
  members(): number {
    return this.watchers.size;
  }

  /** (connection, member) pairs. */
  watches(): number {
    return this.watchCount;
  }

  /** A positioned fix not to be sent now: kept only by the watchers catching its member up (SeamMerger). */
  keepForCatchup(fix: PositionedFix): void {
    const set = this.watchers.get(fix.uid);
    if (!set) return;
    for (const station of set) station.seam.keepIfReplaying(fix);
  }

  /** `fixJson` is JSON.stringify(fix), computed once by the caller (the latest-position store reuses it). */
  dispatch(fix: Fix, fixJson: string, receivedAt: number): void {
    const set = this.watchers.get(fix.uid);
    if (!set) return;
    const frame = encodeWrappedTextFrame(FIX_MESSAGE_PREFIX, fixJson, FIX_MESSAGE_SUFFIX);
    for (const station of set) station.deliver(fix.uid, frame, fix);
    this.metrics.deliveryLatency.observe((Date.now() - receivedAt) / 1000);
  }
}
