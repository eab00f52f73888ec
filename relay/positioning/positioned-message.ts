/**
 * Messages on the positioned channel. Anyone with Redis access can PUBLISH there, so the relay validates each one
 * before fanning it out, like any other boundary. A message is one positioned fix (position.lua: PHP, ingest) or a
 * JSON array of them (position-batch.lua: the relays).
 */
import type { ParseResult, PositionedFix } from '../../protocol/fix.js';
import { MAX_RAW_FIX_BYTES } from '../../protocol/fix.js';
import { fixProblem, knownFields } from '../../protocol/fix-check.js';
import { MAX_POSITION_BATCH } from './positioning.js';

export type PositionedRejectReason = 'too_large' | 'not_json' | 'bad_field';

/** Positioning adds ~40 bytes to a fix that was at most MAX_RAW_FIX_BYTES raw. */
const MAX_POSITIONED_BYTES = MAX_RAW_FIX_BYTES + 128;

export function parsePositionedMessage(
  message: string | Buffer,
): ParseResult<PositionedFix, PositionedRejectReason> {
  const size = typeof message === 'string' ? Buffer.byteLength(message) : message.length;
  if (size > MAX_POSITIONED_BYTES) return { ok: false, reason: 'too_large', message: 'message too large' };
  const decoded = decode(message);
  return decoded.ok ? validate(decoded.value) : decoded;
}

export interface PositionedMessages {
  fixes: PositionedFix[];
  /** One per refused message or array element: the rest of an array is still delivered. */
  rejected: { reason: PositionedRejectReason; message: string }[];
}

/** A single positioned fix or a batch (array) of them, each element validated on its own. */
export function parsePositionedMessages(message: string | Buffer): PositionedMessages {
  const text = typeof message === 'string' ? message : message.toString('utf8');
  if (!text.startsWith('[')) {
    const one = parsePositionedMessage(message);
    return one.ok ? { fixes: [one.value], rejected: [] } : { fixes: [], rejected: [one] };
  }
  // Each element was at most MAX_POSITIONED_BYTES, plus a comma.
  if (Buffer.byteLength(text) > MAX_POSITION_BATCH * (MAX_POSITIONED_BYTES + 1) + 1) {
    return { fixes: [], rejected: [{ reason: 'too_large', message: 'batch too large' }] };
  }
  const decoded = decode(text);
  if (!decoded.ok) return { fixes: [], rejected: [decoded] };
  const elements = decoded.value as unknown[];
  if (elements.length > MAX_POSITION_BATCH) {
    return { fixes: [], rejected: [{ reason: 'too_large', message: 'too many fixes in one batch' }] };
  }
  const result: PositionedMessages = { fixes: [], rejected: [] };
  for (const element of elements) {
    const parsed = validate(element);
    if (parsed.ok) result.fixes.push(parsed.value);
    else result.rejected.push(parsed);
  }
  return result;
}

function decode(message: string | Buffer): ParseResult<unknown, 'not_json'> {
  try {
    return { ok: true, value: JSON.parse(typeof message === 'string' ? message : message.toString('utf8')) };
  } catch {
    return { ok: false, reason: 'not_json', message: 'the message is not valid JSON' };
  }
}

function validate(decoded: unknown): ParseResult<PositionedFix, 'bad_field'> {
  const problem = fixProblem(decoded, true);
  if (problem !== undefined) return { ok: false, reason: 'bad_field', message: problem };
  return { ok: true, value: knownFields(decoded as PositionedFix) };
}
