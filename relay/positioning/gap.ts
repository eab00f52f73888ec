/**
 * Station side: what an incoming live fix means given the last position held for its member. Pure; the station's
 * relay client acts on the verdict (store, drop, or ask the relay for a `range`).
 */
import type { FixPosition } from '../../protocol/fix.js';

export type GapVerdict =
  /** Nothing held yet: store it; there is nothing to compare with. */
  | { kind: 'first' }
  /** The very next offset: store it. */
  | { kind: 'next' }
  /** Already held (same epoch, offset not above the last): drop it. */
  | { kind: 'duplicate' }
  /** Offsets `from..to` of `epoch` are missing: store this fix, then send `range` for them. */
  | { kind: 'gap'; epoch: string; from: number; to: number }
  /**
   * The member's history was lost and restarted: store it. Older fixes of the new epoch, if any (`missing`), can
   * still be asked for with `range`; the old epoch's are gone (fetch `history` by time if needed).
   */
  | { kind: 'epoch_changed'; missing?: { epoch: string; from: number; to: number } };

export function detectGap(held: FixPosition | undefined, incoming: FixPosition): GapVerdict {
  if (held === undefined) return { kind: 'first' };
  if (incoming.epoch !== held.epoch) {
    return incoming.offset > 1
      ? { kind: 'epoch_changed', missing: { epoch: incoming.epoch, from: 1, to: incoming.offset - 1 } }
      : { kind: 'epoch_changed' };
  }
  if (incoming.offset <= held.offset) return { kind: 'duplicate' };
  if (incoming.offset === held.offset + 1) return { kind: 'next' };
  return { kind: 'gap', epoch: incoming.epoch, from: held.offset + 1, to: incoming.offset - 1 };
}
