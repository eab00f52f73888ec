/**
 * Yesterday's generated days (simulator `generateDay`: 1 Hz, a 30-minute dropout, five stops, 10 m jitter) written
 * into a station's store as a station would have received them, so the history view has a day to show: the demo
 * seeds its members with it and the history benchmark measures it.
 */
import type { Fix } from '../../protocol/fix.js';
import type { TrackStore } from '../../electron/core/store/types.js';
import { generateDay } from '../../simulator/day.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Yesterday's midnight in a zone `utcOffsetMin` minutes east of UTC: the "Yesterday" preset then covers the day. */
export function yesterdayStart(now: number, utcOffsetMin: number): number {
  const offset = utcOffsetMin * 60_000;
  return Math.floor((now + offset) / DAY_MS) * DAY_MS - offset - DAY_MS;
}

/**
 * The day's fixes as a station would have received them: live, in uploads every 30 s; 09:00–09:40 replayed by a
 * catch-up at 09:55 (the station was away); 14:00–14:10 sent live but only at 14:12 (a phone without signal that
 * kept its fixes). The history view shows the last two as filled in and late.
 */
function enqueueAsArrived(store: TrackStore, fixes: readonly Fix[], dayStart: number): void {
  const caughtUp = [dayStart + 9 * HOUR_MS, dayStart + 9 * HOUR_MS + 40 * 60_000] as const;
  const buffered = [dayStart + 14 * HOUR_MS, dayStart + 14 * HOUR_MS + 10 * 60_000] as const;
  const within = (ts: number, [a, b]: readonly [number, number]) => ts >= a && ts < b;
  let i = 0;
  while (i < fixes.length) {
    const ts = fixes[i]!.ts;
    let j = i + 1;
    if (within(ts, caughtUp) || within(ts, buffered)) {
      const span = within(ts, caughtUp) ? caughtUp : buffered;
      while (j < fixes.length && within(fixes[j]!.ts, span)) j++;
      store.enqueue(fixes.slice(i, j), {
        receivedAt: span === caughtUp ? span[1] + 15 * 60_000 : span[1] + 2 * 60_000,
        replay: span === caughtUp,
      });
    } else {
      while (
        j < fixes.length &&
        j - i < 30 &&
        !within(fixes[j]!.ts, caughtUp) &&
        !within(fixes[j]!.ts, buffered)
      )
        j++;
      store.enqueue(fixes.slice(i, j), { receivedAt: fixes[j - 1]!.ts + 2_000, replay: false });
    }
    i = j;
  }
}

/** One generated day per member (seeded by its place in `uids`, so a rerun writes the same day) into the store. */
export async function seedYesterday(
  store: TrackStore,
  uids: readonly string[],
  options: { now: number; utcOffsetMin: number },
): Promise<void> {
  const startMs = yesterdayStart(options.now, options.utcOffsetMin);
  for (const [m, uid] of uids.entries()) {
    const day = generateDay({
      seed: 1000 + m,
      uid,
      startMs,
      dropouts: [30 * 60_000],
      stops: 5,
      jitterM: 10,
      withPath: false,
    });
    enqueueAsArrived(store, day.fixes as Fix[], startMs);
    await store.flush();
  }
}
