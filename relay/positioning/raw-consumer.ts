/**
 * From one raw Redis message on the raw channel to a positioned fix. Every relay instance subscribed to the raw
 * channel calls this for every message; the idempotency key makes sure only one of them positions it.
 */
import type { FixRejectReason, PositionedFix } from '../../protocol/fix.js';
import { parseRawFix } from '../../protocol/fix.js';
import { idempotencyKeyFor } from './keys.js';
import type { BatchItem, Positioning } from './positioning.js';

export type RawOutcome =
  | { status: 'positioned'; fix: PositionedFix }
  /** Another caller (relay instance, ingest, PHP) positioned this message already. */
  | { status: 'duplicate' }
  /** The message is not a fix; `reason` is the label to count it under. */
  | { status: 'rejected'; reason: FixRejectReason; message: string };

export type PreparedRaw =
  ({ status: 'ready' } & BatchItem) | { status: 'rejected'; reason: FixRejectReason; message: string };

/** Parse a raw message and name it: the canonical fix and its idempotency key, ready for `positionBatch`. */
export function prepareRawMessage(
  message: string | Buffer,
  receivedAt: number = Date.now(),
  /** Which occurrence of these exact bytes this is (RepeatCounter): a repeat is a new message, not a copy. */
  occurrence = 1,
): PreparedRaw {
  const parsed = parseRawFix(message, receivedAt);
  if (!parsed.ok) return { status: 'rejected', reason: parsed.reason, message: parsed.message };
  const key = idempotencyKeyFor(parsed.value, message);
  // A cid names one fix however often it is sent; only byte-hash keys need the occurrence.
  const idempotencyKey = occurrence > 1 && parsed.value.cid === undefined ? `${key}:${occurrence}` : key;
  return { status: 'ready', fix: parsed.value, idempotencyKey };
}

export async function positionRawMessage(
  positioning: Pick<Positioning, 'position'>,
  message: string | Buffer,
  receivedAt: number = Date.now(),
  occurrence = 1,
): Promise<RawOutcome> {
  const prepared = prepareRawMessage(message, receivedAt, occurrence);
  if (prepared.status === 'rejected') return prepared;
  const fix = await positioning.position(prepared.fix, prepared.idempotencyKey);
  return fix === null ? { status: 'duplicate' } : { status: 'positioned', fix };
}
