/**
 * Keeps every watched member's state (live/stale/offline/none) current: re-checked when a member's fix arrives
 * and once a second for ageing, so the marker style, the list, the header counts and the alerts all read one
 * answer. Outside React, like the live store; listeners hear only the members whose state changed.
 */
import type { LiveStore } from './live-store.js';
import {
  countStates,
  memberState,
  type MemberState,
  type StateCounts,
  type StateThresholds,
} from './member-state.js';
import { raisesOfflineAlert, type OfflineAlert } from './offline-alerts.js';

export type StateListener = (changed: ReadonlySet<string>) => void;

const TICK_MS = 1000;

export class MemberStateTracker {
  private readonly states = new Map<string, MemberState>();
  private readonly listeners = new Set<StateListener>();
  private readonly alertListeners = new Set<(alerts: OfflineAlert[]) => void>();
  private watched: readonly string[] = [];
  private watchedSet = new Set<string>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private offStore: (() => void) | undefined;

  constructor(
    private readonly store: LiveStore,
    private thresholds: StateThresholds,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    if (this.timer) return;
    this.offStore = this.store.subscribe((changed) => this.update(changed));
    this.timer = setInterval(() => this.update(this.watched), TICK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.offStore?.();
  }

  setWatched(uids: readonly string[]): void {
    this.watched = uids;
    this.watchedSet = new Set(uids);
    const changed = new Set<string>();
    for (const uid of this.states.keys()) {
      if (!this.watchedSet.has(uid)) {
        this.states.delete(uid);
        changed.add(uid);
      }
    }
    this.update(uids, changed);
  }

  setThresholds(thresholds: StateThresholds): void {
    this.thresholds = thresholds;
    this.update(this.watched);
  }

  state(uid: string): MemberState {
    return this.states.get(uid) ?? 'none';
  }

  counts(): StateCounts {
    return countStates(this.states.values());
  }

  subscribe(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onAlerts(listener: (alerts: OfflineAlert[]) => void): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  }

  /** Recompute the given members; `changed` collects members already known to have changed. */
  update(uids: Iterable<string>, changed = new Set<string>()): void {
    const now = this.now();
    const alerts: OfflineAlert[] = [];
    for (const uid of uids) {
      if (!this.watchedSet.has(uid)) continue;
      const lastTs = this.store.latest(uid)?.ts;
      const next = memberState(lastTs, now, this.thresholds);
      const previous = this.states.get(uid);
      if (previous === next) continue;
      this.states.set(uid, next);
      changed.add(uid);
      if (raisesOfflineAlert(previous, next) && lastTs !== undefined) alerts.push({ uid, at: now, lastTs });
    }
    if (changed.size > 0) for (const listener of this.listeners) listener(changed);
    if (alerts.length > 0) for (const listener of this.alertListeners) listener(alerts);
  }
}
