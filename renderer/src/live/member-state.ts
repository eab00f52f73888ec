/**
 * Live, stale or offline: what the age of a member's last fix says about it. One pure function, so the marker,
 * the list, the header counts and the offline alerts all agree; table-tested in member-state.test.ts.
 */
import { DEFAULT_LIVE_SETTINGS } from '../../../contract/live-settings.js';

export const MEMBER_STATES = ['live', 'stale', 'offline', 'none'] as const;
/** `none`: watched, but no fix seen yet. */
export type MemberState = (typeof MEMBER_STATES)[number];

export interface StateThresholds {
  /** A last fix older than this makes the member stale. */
  staleAfterMs: number;
  /** A last fix older than this makes the member offline. */
  offlineAfterMs: number;
}

export const DEFAULT_THRESHOLDS: StateThresholds = {
  staleAfterMs: DEFAULT_LIVE_SETTINGS.staleAfterMs,
  offlineAfterMs: DEFAULT_LIVE_SETTINGS.offlineAfterMs,
};

export function memberState(
  lastTs: number | undefined,
  now: number,
  thresholds: StateThresholds,
): MemberState {
  if (lastTs === undefined || !Number.isFinite(lastTs)) return 'none';
  // A clock ahead of ours (the member's phone, or ours lagging) is a fresh fix, not a future one.
  const age = Math.max(0, now - lastTs);
  if (age >= thresholds.offlineAfterMs) return 'offline';
  if (age >= thresholds.staleAfterMs) return 'stale';
  return 'live';
}

export type StateCounts = Record<MemberState, number>;

export function countStates(states: Iterable<MemberState>): StateCounts {
  const counts: StateCounts = { live: 0, stale: 0, offline: 0, none: 0 };
  for (const state of states) counts[state]++;
  return counts;
}

/** The ms until `memberState` can next change for this fix (for scheduling a re-check), or undefined if never. */
export function msUntilNextState(
  lastTs: number | undefined,
  now: number,
  thresholds: StateThresholds,
): number | undefined {
  if (lastTs === undefined || !Number.isFinite(lastTs)) return undefined;
  const age = Math.max(0, now - lastTs);
  if (age < thresholds.staleAfterMs) return thresholds.staleAfterMs - age;
  if (age < thresholds.offlineAfterMs) return thresholds.offlineAfterMs - age;
  return undefined;
}
