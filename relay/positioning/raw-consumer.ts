/**
 * From one raw Redis message on the raw channel to a positioned fix. Every relay instance subscribed to the raw
 * channel calls this for every message; the idempotency key makes sure only one of them positions it.
 */
import type { FixRejectReason, PositionedFix } from '../../protocol/fix.js';
import { parseRawFix } from '../../protocol/fix.js';
import { idempotencyKeyFor } from './keys.js';
import type { Positioning } from './positioning.js';

export type RawOutcome =
  | { status: 'positioned'; fix: PositionedFix }
  /** Another caller (relay instance, ingest, PHP) positioned this message already. */
  | { status: 'duplicate' }
  /** The message is not a fix; `reason` is the label to count it under. */
  | { status: 'rejected'; reason: FixRejectReason; message: string };

export async function positionRawMessage(
  positioning: Pick<Positioning, 'position'>,
  message: string | Buffer,
  receivedAt: number = Date.now(),
): Promise<RawOutcome> {
  const parsed = parseRawFix(message, receivedAt);
  if (!parsed.ok) return { status: 'rejected', reason: parsed.reason, message: parsed.message };
  const fix = await positioning.position(parsed.value, idempotencyKeyFor(parsed.value, message));
  return fix === null ? { status: 'duplicate' } : { status: 'positioned', fix };
}
