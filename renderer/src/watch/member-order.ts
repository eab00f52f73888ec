/** Filtering and ordering the watch list: pure, so every sort is table-tested. */
import type { WatchedMember } from '../../../contract/station-api.js';
import type { MemberState } from '../live/member-state.js';

export const SORT_KEYS = ['label', 'id', 'lastSeen', 'state'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface MemberFacts {
  lastTs(uid: string): number | undefined;
  state(uid: string): MemberState;
}

/** Offline first: the list is a to-do list, and the members needing attention belong on top. */
const STATE_RANK: Record<MemberState, number> = { offline: 0, stale: 1, none: 2, live: 3 };

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function matchesFilter(member: WatchedMember, needle: string): boolean {
  const n = needle.trim().toLowerCase();
  return n === '' || member.uid.toLowerCase().includes(n) || member.label.toLowerCase().includes(n);
}

export function orderMembers(
  members: readonly WatchedMember[],
  filter: string,
  sort: SortKey,
  facts: MemberFacts,
): WatchedMember[] {
  const shown = members.filter((m) => matchesFilter(m, filter));
  const byId = (a: WatchedMember, b: WatchedMember): number => collator.compare(a.uid, b.uid);
  const compare: Record<SortKey, (a: WatchedMember, b: WatchedMember) => number> = {
    id: byId,
    label: (a, b) => collator.compare(a.label || a.uid, b.label || b.uid) || byId(a, b),
    // Most recently seen first; never seen last.
    lastSeen: (a, b) => (facts.lastTs(b.uid) ?? -Infinity) - (facts.lastTs(a.uid) ?? -Infinity) || byId(a, b),
    state: (a, b) => STATE_RANK[facts.state(a.uid)] - STATE_RANK[facts.state(b.uid)] || byId(a, b),
  };
  return shown.sort(compare[sort]);
}
