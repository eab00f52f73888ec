/**
 * A warn line at most once per interval per key, carrying a sample of what triggered it and how many were
 * suppressed since the last line: bad input from Redis can arrive at thousands per second, and the log must not.
 */
import type { Logger } from 'pino';

/**
 * `fields` may be a function: it is called only when the line is written, so what a suppressed line would have
 * carried (a redacted sample, say) costs nothing while bad input floods in.
 */
export type SampledWarn = (
  key: string,
  fields: Record<string, unknown> | (() => Record<string, unknown>),
  message: string,
) => void;

export function createSampledWarn(
  logger: Logger,
  intervalMs = 10_000,
  now: () => number = Date.now,
): SampledWarn {
  const state = new Map<string, { lastAt: number; suppressed: number }>();
  return (key, fields, message) => {
    const t = now();
    const s = state.get(key);
    if (s && t - s.lastAt < intervalMs) {
      s.suppressed++;
      return;
    }
    const values = typeof fields === 'function' ? fields() : fields;
    logger.warn({ ...values, suppressed: s?.suppressed ?? 0 }, message);
    state.set(key, { lastAt: t, suppressed: 0 });
  };
}
