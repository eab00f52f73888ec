/**
 * Live, stale or offline: what the age of a member's last fix says about it. One pure function, so the marker,
 * the list, the header counts and the offline alerts all agree; table-tested in member-state.test.ts.
 */
import { DEFAULT_LIVE_SETTINGS } from '../../../contract/live-settings.js';
import type { StationStatus } from '../../../contract/station-api.js';
import { raisesOfflineAlert } from './offline-alerts.js';

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

/**
 * Whether silence can be judged right now. `judging`: the station is connected, the relay can reach its store and
 * any catch-up is over, so a fix's age is the member's own silence. `held`: the station is not connected (or the
 * page lost its host); ages grow because of us, so states are held. `catching_up`: connected again, but the fixes
 * missed meanwhile may still be arriving; held like `held` until the catch-up is over.
 */
export type Judgement = 'judging' | 'held' | 'catching_up';

/**
 * The judgement from the station's status; `undefined` (status not known yet, host unreachable) is held. After a
 * reconnect the core counts the members the relay is still catching up (`catchingUp`) until each one's replay is
 * done and its fixes are delivered; the core, not this function, bounds how long that may last (30 s without
 * progress, 10 min in all: electron/core/relay-client/catching-up.ts), and its status change re-judges everyone.
 */
export function judgementOf(status: StationStatus | undefined): Judgement {
  if (!status) return 'held';
  if (status.state !== 'connected' && status.state !== 'token_expiring') return 'held';
  // The relay cannot reach its store: no member's fixes come through, whatever the member does.
  if (status.relayDegraded) return 'held';
  if ((status.catchingUp ?? 0) > 0) return 'catching_up';
  if ((status.backfill?.length ?? 0) > 0) return 'catching_up';
  return 'judging';
}

const FRESHNESS: Record<MemberState, number> = { none: 0, offline: 1, stale: 2, live: 3 };

/**
 * A member's next state and whether it raises an offline alert. While judging: the age of its last fix decides.
 * While held or catching up, a member is never made older than it was last judged (the silence is ours, not
 * its), only fresher (a replayed or live fix is a fact), and nothing alerts. A member never judged before takes
 * its state from its fix's age, which alerts no one anyway (see raisesOfflineAlert).
 */
export function judgeMember(
  previous: MemberState | undefined,
  lastTs: number | undefined,
  now: number,
  thresholds: StateThresholds,
  judgement: Judgement,
): { state: MemberState; alert: boolean } {
  const byAge = memberState(lastTs, now, thresholds);
  if (judgement === 'judging') {
    return { state: byAge, alert: raisesOfflineAlert(previous, byAge) };
  }
  if (previous === undefined || previous === 'none') return { state: byAge, alert: false };
  return { state: FRESHNESS[byAge] > FRESHNESS[previous] ? byAge : previous, alert: false };
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
