/**
 * A warn line at most once per interval per key, carrying a sample of what triggered it and how many were
 * suppressed since the last line: bad input from Redis can arrive at thousands per second, and the log must not.
 */
import type { Logger } from 'pino';

export type SampledWarn = (key: string, fields: Record<string, unknown>, message: string) => void;

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
    logger.warn({ ...fields, suppressed: s?.suppressed ?? 0 }, message);
    state.set(key, { lastAt: t, suppressed: 0 });
  };
}
