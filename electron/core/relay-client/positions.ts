/**
 * What the client knows about members' positions in one relay session: the newest position per member (seeded
 * from the store at watch time, advanced by live fixes) to spot offset jumps, and the watch messages carrying
 * `since`. Pure apart from its own map.
 */
import type { FixPosition } from '../../../protocol/fix.js';
import type { WatchMessage } from '../../../protocol/messages.js';
import { checkOffset } from './decisions.js';

/** Watch messages carry at most this many members (the protocol's limit). */
export const WATCH_CHUNK = 1000;

export function watchMessages(
  uids: readonly string[],
  since: ReadonlyMap<string, FixPosition>,
): WatchMessage[] {
  const messages: WatchMessage[] = [];
  for (let i = 0; i < uids.length; i += WATCH_CHUNK) {
    const members = uids.slice(i, i + WATCH_CHUNK).map((uid) => {
      const position = since.get(uid);
      return position ? { uid, since: position } : { uid };
    });
    messages.push({ type: 'watch', members });
  }
  return messages;
}

export class PositionTracker {
  private readonly held = new Map<string, FixPosition>();

  reset(): void {
    this.held.clear();
  }

  seed(positions: ReadonlyMap<string, FixPosition>): void {
    for (const [uid, position] of positions) this.held.set(uid, position);
  }

  forget(uids: readonly string[]): void {
    for (const uid of uids) this.held.delete(uid);
  }

  /** Record a live fix's position; returns the offsets missed before it, if it jumped. */
  observe(uid: string, position: FixPosition): { from: number; to: number } | undefined {
    const check = checkOffset(this.held.get(uid), position);
    if (check.kind !== 'old') this.held.set(uid, position);
    return check.kind === 'gap' ? { from: check.from, to: check.to } : undefined;
  }
}
