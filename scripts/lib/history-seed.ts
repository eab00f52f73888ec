/**
 * Yesterday's generated days (simulator `generateDay`: 1 Hz, a 30-minute dropout, 10 m jitter) written into a
 * station's store as a station would have received them, so the history view has a day to show. The history
 * benchmark measures whole days (86,400 fixes, five stops); the demo shows working days (`Workday`): a member
 * shares its location during its shift only, with the stops its kind of work makes.
 */
import type { Fix } from '../../protocol/fix.js';
import type { TrackStore } from '../../electron/core/store/types.js';
import { generateDay } from '../../simulator/day.js';
import type { MemberKind } from '../../simulator/track.js';

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

/** A member's shift: when it starts sharing, for how long, how it moves and the stops its work makes. */
export interface Workday {
  kind: MemberKind;
  startHour: number;
  hours: number;
  /** Stop lengths, minutes, in no particular order (the generator places them). */
  stopsMin: readonly number[];
}

const MINUTE_MS = 60_000;

/** Deliveries of 3-8 minutes and a lunch break: what a courier's day looks like. */
const courierStops = [45, ...Array.from({ length: 24 }, (_, i) => 3 + (i % 6))];

/** Working days the demo gives its kinds of member, each with the catch-up and late spans `enqueueAsArrived` makes. */
export const DEMO_WORKDAYS: Readonly<Record<MemberKind, Workday>> = {
  scooter: { kind: 'scooter', startHour: 8.5, hours: 9.5, stopsMin: courierStops },
  walk: { kind: 'walk', startHour: 8.75, hours: 8, stopsMin: [60, 40, 30, 25, 20, 15, 15, 10] },
  car: {
    kind: 'car',
    startHour: 7.5,
    hours: 11,
    stopsMin: [50, ...Array.from({ length: 14 }, (_, i) => 15 + i)],
  },
};

/**
 * One generated day per member (seeded by its place in `uids`, so a rerun writes the same day) into the store:
 * the whole day, or the member's working day when `workdayOf` names one.
 */
export async function seedYesterday(
  store: TrackStore,
  uids: readonly string[],
  options: { now: number; utcOffsetMin: number; workdayOf?: (uid: string, index: number) => Workday },
): Promise<void> {
  const dayStart = yesterdayStart(options.now, options.utcOffsetMin);
  for (const [m, uid] of uids.entries()) {
    const workday = options.workdayOf?.(uid, m);
    const day = generateDay({
      seed: 1000 + m,
      uid,
      startMs: workday ? dayStart + workday.startHour * HOUR_MS : dayStart,
      dropouts: [30 * MINUTE_MS],
      jitterM: 10,
      withPath: false,
      ...(workday
        ? {
            kind: workday.kind,
            durationMs: workday.hours * HOUR_MS,
            stops: workday.stopsMin.map((min) => min * MINUTE_MS),
          }
        : { stops: 5 }),
    });
    enqueueAsArrived(store, day.fixes as Fix[], dayStart);
    await store.flush();
  }
}
