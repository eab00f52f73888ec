/**
 * Bench publisher: publishes raw fixes the way the customer's PHP does (`PUBLISH location_update {...}` with string
 * coordinates), paced to a target rate with pipelines, or as fast as Redis takes them (rate = Infinity). Each
 * message carries its send time as `ts`, which the relay passes through as the fix time.
 */
import type { Redis } from 'ioredis';

const TICK_MS = 5;

/** The host's monotonic clock in µs: the same clock in every process of the machine (CLOCK_MONOTONIC). */
export const hrUs = () => Number(process.hrtime.bigint()) / 1000;
/** Pipelines in flight when flooding: enough to keep Redis busy, few enough not to queue seconds of work. */
const FLOOD_INFLIGHT = 4;
const FLOOD_BATCH = 500;

/**
 * `seq` (the publisher's running count) varies the longitude's last digits: several fixes of one member in the same
 * millisecond must still be different fixes, not byte-identical repeats that positioning rightly drops as duplicates.
 */
export function rawFix(uid: number, ts: number, seq = 0): string {
  const lon = (113 + (uid % 100) / 1000 + (seq % 1000) / 1e6).toFixed(6);
  const lat = (23 + (ts % 1000) / 100_000).toFixed(6);
  return `{"uid":${uid},"longitude":"${lon}","latitude":"${lat}","ts":${ts}}`;
}

/**
 * Publish for `durationMs` at `rate` fixes/s across `members` uids (firstUid..firstUid + members - 1). Resolves
 * with the count sent. `sendTimes`, when given, gets each paced tick's `ts` (ms, what the fixes carry) → the same
 * moment on the monotonic clock in µs (`hrUs`): the fix's `ts` has 1 ms steps, and a station in another process can
 * look its send time up here to time the delivery in µs. Ticks are TICK_MS apart, so a `ts` names one tick.
 */
export async function publishAt(
  redis: Redis,
  channel: string,
  rate: number,
  durationMs: number,
  members: number,
  firstUid = 1,
  sendTimes?: Map<number, number>,
): Promise<number> {
  let sent = 0;
  const start = Date.now();
  const end = start + durationMs;
  if (!Number.isFinite(rate)) {
    const lane = async () => {
      while (Date.now() < end) {
        const p = redis.pipeline();
        const now = Date.now();
        for (let i = 0; i < FLOOD_BATCH; i++)
          p.publish(channel, rawFix(firstUid + ((sent + i) % members), now, sent + i));
        sent += FLOOD_BATCH;
        await p.exec();
      }
    };
    await Promise.all(Array.from({ length: FLOOD_INFLIGHT }, lane));
    return sent;
  }
  while (Date.now() < end) {
    const due = Math.floor(((Date.now() - start) / 1000) * rate);
    if (due > sent) {
      const p = redis.pipeline();
      const now = Date.now();
      sendTimes?.set(now, hrUs());
      for (; sent < due; sent++) p.publish(channel, rawFix(firstUid + (sent % members), now, sent));
      void p.exec();
    }
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  return sent;
}
