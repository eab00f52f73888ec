/** The member list the renderer shows: pure merge of what the token allows, what is watched, what is active. */
import type { MemberScope } from '../../../protocol/token.js';
import { ALL_MEMBERS, scopeAllows } from '../../../protocol/token.js';
import type { MemberSummary, WatchedMember } from '../../../contract/station-api.js';

export function mergeMembers(
  scope: MemberScope | undefined,
  watched: readonly WatchedMember[],
  active: readonly { uid: string; lastTs: number }[],
): MemberSummary[] {
  const byUid = new Map<string, MemberSummary>();
  // Without a token we cannot know; the relay will refuse what it must.
  const allowed = (uid: string): boolean => scope === undefined || scopeAllows(scope, uid);
  const entry = (uid: string): MemberSummary => {
    let summary = byUid.get(uid);
    if (!summary) {
      summary = { uid, allowed: allowed(uid), watched: false };
      byUid.set(uid, summary);
    }
    return summary;
  };
  if (scope !== undefined && scope !== ALL_MEMBERS) for (const uid of scope) entry(uid);
  for (const member of watched) {
    const summary = entry(member.uid);
    summary.watched = true;
    summary.label = member.label;
  }
  for (const { uid, lastTs } of active) entry(uid).lastTs = lastTs;
  return [...byUid.values()].sort(
    (a, b) =>
      Number(b.watched) - Number(a.watched) ||
      (b.lastTs ?? 0) - (a.lastTs ?? 0) ||
      a.uid.localeCompare(b.uid),
  );
}
