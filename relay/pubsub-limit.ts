/**
 * Redis cuts a pub/sub client whose output buffer passes `client-output-buffer-limit pubsub <hard> <soft> <secs>`
 * (default 32mb 8mb 60). For a relay that is its subscriber: every fix published meanwhile is lost to pub/sub, and
 * the relay reconnects and re-checks every watched member from Redis (docs/scaling.md, "When Redis cuts the
 * subscriber"). A limit set below what one burst of the largest messages needs makes that happen on ordinary
 * bursts, so the relay checks the setting at start and warns. Pure: relay/app.ts reads the setting.
 */
import { MAX_RAW_FIX_BYTES } from '../protocol/fix.js';
import { MAX_POSITION_BATCH } from './positioning/positioning.js';

/**
 * The least a pubsub limit should allow: eight of the largest positioned-channel messages (a batch of
 * MAX_POSITION_BATCH fixes of MAX_RAW_FIX_BYTES each, 1 MiB), so a subscriber a few batches behind is not cut.
 */
export const MIN_PUBSUB_BUFFER_BYTES = 8 * MAX_POSITION_BATCH * MAX_RAW_FIX_BYTES;

/**
 * What is wrong with the `client-output-buffer-limit` value (CONFIG GET's answer, e.g.
 * "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"), or undefined when the pubsub class is
 * unlimited (0) or at least `minBytes` for both the hard and the soft limit.
 */
export function pubsubLimitProblem(value: string, minBytes = MIN_PUBSUB_BUFFER_BYTES): string | undefined {
  const words = value.trim().split(/\s+/);
  const at = words.indexOf('pubsub');
  if (at < 0) return undefined;
  const [hard, soft, seconds] = words.slice(at + 1, at + 4).map(Number);
  const low = (n: number | undefined) => n !== undefined && Number.isFinite(n) && n > 0 && n < minBytes;
  if (!low(hard) && !low(soft)) return undefined;
  return (
    `client-output-buffer-limit pubsub is ${hard} ${soft} ${seconds}: below ${minBytes} bytes, Redis may cut this ` +
    `relay's subscriber during an ordinary burst (fixes published meanwhile reach stations only by re-catch-up); ` +
    `set it to at least "pubsub ${minBytes} ${minBytes} 60", or 0 0 0 (docs/scaling.md)`
  );
}
