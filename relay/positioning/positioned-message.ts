/**
 * Messages on the positioned channel. Anyone with Redis access can PUBLISH there, so the relay validates each one
 * before fanning it out, like any other boundary.
 */
import type { ParseResult, PositionedFix } from '../../protocol/fix.js';
import { fixSchema, MAX_RAW_FIX_BYTES } from '../../protocol/fix.js';

export type PositionedRejectReason = 'too_large' | 'not_json' | 'bad_field';

const positionedSchema = fixSchema.required({ epoch: true, offset: true });

export function parsePositionedMessage(
  message: string | Buffer,
): ParseResult<PositionedFix, PositionedRejectReason> {
  const size = typeof message === 'string' ? Buffer.byteLength(message) : message.length;
  // Positioning adds ~40 bytes to a fix that was at most MAX_RAW_FIX_BYTES raw.
  if (size > MAX_RAW_FIX_BYTES + 128) return { ok: false, reason: 'too_large', message: 'message too large' };
  let decoded: unknown;
  try {
    decoded = JSON.parse(typeof message === 'string' ? message : message.toString('utf8'));
  } catch {
    return { ok: false, reason: 'not_json', message: 'the message is not valid JSON' };
  }
  const parsed = positionedSchema.safeParse(decoded);
  if (!parsed.success)
    return { ok: false, reason: 'bad_field', message: parsed.error.issues[0]?.message ?? 'invalid' };
  return { ok: true, value: parsed.data as PositionedFix };
}
