/**
 * From one raw Redis message on the raw channel to a positioned fix. Every relay instance subscribed to the raw
 * channel calls this for every message; the idempotency key makes sure only one of them positions it.
 */
import type { DroppedField, FixRejectReason, PositionedFix } from '../../protocol/fix.js';
import { parseRawFix } from '../../protocol/fix.js';
import { idempotencyKeyFor } from './keys.js';
import type { BatchItem, Positioning } from './positioning.js';
import type { RepeatCounter } from './repeat-counter.js';

export type RawOutcome =
  | { status: 'positioned'; fix: PositionedFix }
  /** Another caller (relay instance, ingest, PHP) positioned this message already. */
  | { status: 'duplicate' }
  /** The message is not a fix; `reason` is the label to count it under. */
  | { status: 'rejected'; reason: FixRejectReason; message: string };

export type PreparedRaw =
  | ({ status: 'ready'; dropped?: readonly DroppedField[] } & BatchItem)
  | { status: 'rejected'; reason: FixRejectReason; message: string };

/**
 * Parse a raw message and name it: the canonical fix and its idempotency key, ready for `positionBatch`.
 *
 * `repeats` numbers repeats of identical bytes, but only of messages that need it: a message with its own `ts`
 * (or a `cid`) names one fix, so the same bytes again within the TTL are that fix again, a duplicate. Only untimed
 * messages (the seed's PHP sends none) can repeat byte for byte as new fixes (a member standing still), and only
 * they are counted, which keeps the counter small at high rates.
 */
export function prepareRawMessage(
  message: string | Buffer,
  receivedAt: number = Date.now(),
  repeats?: Pick<RepeatCounter, 'next'>,
): PreparedRaw {
  // Half a millisecond added to the receive time marks an untimed fix: a sender's ts is always an integer, so
  // `Number.isInteger(ts)` says whether the message had one, the same way on every relay (the same bytes).
  const parsed = parseRawFix(message, receivedAt + 0.5);
  if (!parsed.ok) return { status: 'rejected', reason: parsed.reason, message: parsed.message };
  const fix = parsed.value;
  const timed = Number.isInteger(fix.ts);
  if (!timed) fix.ts = receivedAt;
  const key = idempotencyKeyFor(fix, message);
  const dropped = parsed.dropped === undefined ? {} : { dropped: parsed.dropped };
  if (timed || fix.cid !== undefined || repeats === undefined)
    return { status: 'ready', fix, idempotencyKey: key, ...dropped };
  const occurrence = repeats.next(
    typeof message === 'string' ? message : message.toString('utf8'),
    receivedAt,
  );
  return {
    status: 'ready',
    fix,
    idempotencyKey: occurrence > 1 ? `${key}:${occurrence}` : key,
    ...dropped,
  };
}

export async function positionRawMessage(
  positioning: Pick<Positioning, 'position'>,
  message: string | Buffer,
  receivedAt: number = Date.now(),
  repeats?: Pick<RepeatCounter, 'next'>,
): Promise<RawOutcome> {
  const prepared = prepareRawMessage(message, receivedAt, repeats);
  if (prepared.status === 'rejected') return prepared;
  const fix = await positioning.position(prepared.fix, prepared.idempotencyKey);
  return fix === null ? { status: 'duplicate' } : { status: 'positioned', fix };
}
