/**
 * What the client knows about members' positions in one relay session: the newest position per member (seeded
 * from the store at watch time, advanced by live fixes) to spot offset jumps, and the watch messages carrying
 * `since`. Pure apart from its own map.
 */
import type { FixPosition } from '../../../protocol/fix.js';
import type { WatchMessage } from '../../../protocol/messages.js';
import { checkOffset } from './decisions.js';

/** Watch and unwatch messages carry at most this many members (the protocol's limit). */
export const WATCH_CHUNK = 1000;

/** Bytes of a watch message around its members (type, id, brackets), with room to spare. */
const WATCH_ENVELOPE_BYTES = 64;

/**
 * The members of `uids` as the `members` of successive watch messages: at most `maxMembers` each, and small enough
 * that no message passes `maxBytes` (the relay closes a connection that sends a frame over its maxPayload: 1,000
 * members with `since` are about 70 kB, over the default 64 KiB).
 */
export function watchBatches(
  uids: readonly string[],
  since: ReadonlyMap<string, FixPosition>,
  limits: { maxMembers?: number; maxBytes: number },
): WatchMessage['members'][] {
  const maxMembers = limits.maxMembers ?? WATCH_CHUNK;
  const batches: WatchMessage['members'][] = [];
  let current: WatchMessage['members'] = [];
  let bytes = WATCH_ENVELOPE_BYTES;
  for (const uid of uids) {
    const position = since.get(uid);
    const member = position ? { uid, since: position } : { uid };
    const size = JSON.stringify(member).length + 1;
    if (current.length > 0 && (current.length >= maxMembers || bytes + size > limits.maxBytes)) {
      batches.push(current);
      current = [];
      bytes = WATCH_ENVELOPE_BYTES;
    }
    current.push(member);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
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

  /**
   * Record a replayed fix's position (a catch-up replays every offset after `since`, in order): it moves the member
   * forward, so the first live fix after the replay is not taken for a jump, and never asks for anything.
   */
  advance(uid: string, position: FixPosition): void {
    const check = checkOffset(this.held.get(uid), position);
    if (check.kind === 'first' || check.kind === 'next' || check.kind === 'gap') this.held.set(uid, position);
  }

  /** Record a live fix's position; returns the offsets missed before it, if it jumped. */
  observe(uid: string, position: FixPosition): { from: number; to: number } | undefined {
    const check = checkOffset(this.held.get(uid), position);
    if (check.kind !== 'old') this.held.set(uid, position);
    return check.kind === 'gap' ? { from: check.from, to: check.to } : undefined;
  }
}
