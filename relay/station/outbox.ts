/**
 * Fix frames a backlogged connection has not taken yet, at most one per member: a newer fix of a member replaces
 * the one waiting, so a slow station gets every member's latest position instead of a growing queue. Frames leave
 * in the order their members last moved.
 */
export class Outbox {
  private readonly frames = new Map<string, Buffer>();
  private byteCount = 0;
  /** When the connection fell behind (ms since 1970); undefined while it keeps up. */
  behindSince: number | undefined;

  get bytes(): number {
    return this.byteCount;
  }

  get size(): number {
    return this.frames.size;
  }

  /** Queue `frame` for `uid`; true if it replaced (coalesced) a frame of that member. */
  put(uid: string, frame: Buffer, now: number): boolean {
    const previous = this.frames.get(uid);
    if (previous !== undefined) {
      this.byteCount -= previous.length;
      // Map keeps the first insertion's position; re-insert so members are flushed in the order they last moved.
      this.frames.delete(uid);
    }
    this.frames.set(uid, frame);
    this.byteCount += frame.length;
    this.behindSince ??= now;
    return previous !== undefined;
  }

  /** Drop the frame waiting for `uid` (it was unwatched). */
  drop(uid: string): void {
    const frame = this.frames.get(uid);
    if (frame === undefined) return;
    this.frames.delete(uid);
    this.byteCount -= frame.length;
  }

  /** Hand every waiting frame to `write`, in order; the outbox is then empty and no longer behind. */
  flush(write: (frame: Buffer) => void): number {
    const count = this.frames.size;
    for (const frame of this.frames.values()) write(frame);
    this.clear();
    return count;
  }

  clear(): void {
    this.frames.clear();
    this.byteCount = 0;
    this.behindSince = undefined;
  }
}
