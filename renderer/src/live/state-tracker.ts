/**
 * Keeps every watched member's state (live/stale/offline/none) current: re-checked when a member's fix arrives
 * and once a second for ageing, so the marker style, the list, the header counts and the alerts all read one
 * answer. Outside React, like the live store; listeners hear only the members whose state changed.
 */
import type { LiveStore } from './live-store.js';
import {
  countStates,
  judgeMember,
  type Judgement,
  type MemberState,
  type StateCounts,
  type StateThresholds,
} from './member-state.js';
import type { OfflineAlert } from './offline-alerts.js';

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
  /** Until the station's status says otherwise, silence is not judged (see judgementOf). */
  private judgement: Judgement = 'held';
  private heldSince: number | undefined;

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

  /** The station's connection, as judgementOf reads it; going back to `judging` re-judges everyone. */
  setJudgement(judgement: Judgement): void {
    if (judgement === this.judgement) return;
    const wasJudging = this.judgement === 'judging';
    this.judgement = judgement;
    if (judgement === 'judging') {
      this.heldSince = undefined;
      this.update(this.watched);
    } else if (wasJudging || this.heldSince === undefined) {
      this.heldSince = this.now();
    }
    // The header shows the judgement, so it is news even when no member's state moved.
    for (const listener of this.listeners) listener(new Set());
  }

  currentJudgement(): { judgement: Judgement; heldSince?: number } {
    return this.heldSince === undefined
      ? { judgement: this.judgement }
      : { judgement: this.judgement, heldSince: this.heldSince };
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
      const previous = this.states.get(uid);
      const { state: next, alert } = judgeMember(previous, lastTs, now, this.thresholds, this.judgement);
      if (previous === next) continue;
      this.states.set(uid, next);
      changed.add(uid);
      if (alert && lastTs !== undefined) alerts.push({ uid, at: now, lastTs });
    }
    if (changed.size > 0) for (const listener of this.listeners) listener(changed);
    if (alerts.length > 0) for (const listener of this.alertListeners) listener(alerts);
  }
}
