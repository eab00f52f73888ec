/**
 * How fixes reached the station, for the data-health strip: a fix the relay replayed (a catch-up after a
 * reconnect, a backfill from its history) filled in a stretch the live stream missed; a fix that arrived long
 * after its own time was late, whatever the path. The store packs both into one byte per fix
 * (`TrackColumns.arrival`); this file turns the bytes into what the strip draws.
 */

/** The relay replayed the fix (catch-up, range request, backfill) instead of sending it live. */
export const ARRIVAL_REPLAYED = 1;
/** The fix reached the station more than LATE_AFTER_MS after its own time. */
export const ARRIVAL_LATE = 2;
/** Stored before the station recorded arrivals: neither replayed nor late can be told. */
export const ARRIVAL_UNKNOWN = 4;

/**
 * A fix is late when it arrived more than this after its timestamp. A minute: well above the relay's own
 * delivery delay and a phone's usual buffering, well under what a dispatcher would take for "live".
 */
export const LATE_AFTER_MS = 60_000;

/** The arrival byte of one fix, from its time, when it arrived (undefined: unknown) and how. */
export function arrivalFlags(ts: number, receivedAt: number | undefined, replayed: boolean): number {
  if (receivedAt === undefined) return ARRIVAL_UNKNOWN | (replayed ? ARRIVAL_REPLAYED : 0);
  return (replayed ? ARRIVAL_REPLAYED : 0) | (receivedAt - ts > LATE_AFTER_MS ? ARRIVAL_LATE : 0);
}

/** Time of the first and last fix of a run of fixes. */
export interface ArrivalSpan {
  fromTs: number;
  toTs: number;
  /** Fixes in the span. */
  count: number;
}

export interface ArrivalSummary {
  /** Runs of replayed fixes: stretches a catch-up or backfill filled in. */
  filled: ArrivalSpan[];
  /** Runs of late fixes. */
  late: ArrivalSpan[];
  /** Runs of fixes whose arrival is unknown: neither of the above can be told there. */
  unknown: ArrivalSpan[];
  filledCount: number;
  lateCount: number;
  /** Fixes whose arrival is unknown (stored by an older station). */
  unknownCount: number;
}

/**
 * The runs of fixes with `flag` set, over the fixes sorted by time. A run continues across fixes without the flag
 * only when none lies between (a replayed run broken by a live fix is two runs), and across a gap in time of at
 * most `joinMs` (a missing fix inside a backfilled stretch does not split it).
 */
function runsOf(
  ts: Float64Array,
  arrival: Uint8Array,
  count: number,
  flag: number,
  joinMs: number,
): { spans: ArrivalSpan[]; total: number } {
  const spans: ArrivalSpan[] = [];
  let total = 0;
  let open: ArrivalSpan | undefined;
  for (let i = 0; i < count; i++) {
    if ((arrival[i]! & flag) === 0) {
      open = undefined;
      continue;
    }
    total++;
    const t = ts[i]!;
    if (open && t - open.toTs <= joinMs) {
      open.toTs = t;
      open.count++;
    } else {
      open = { fromTs: t, toTs: t, count: 1 };
      spans.push(open);
    }
  }
  return { spans, total };
}

/** What the strip shows of a member's arrivals; `joinMs` is the gap setting (a longer pause is a gap anyway). */
export function summarizeArrival(
  track: { ts: Float64Array; arrival: Uint8Array; count: number },
  joinMs: number,
): ArrivalSummary {
  const filled = runsOf(track.ts, track.arrival, track.count, ARRIVAL_REPLAYED, joinMs);
  const late = runsOf(track.ts, track.arrival, track.count, ARRIVAL_LATE, joinMs);
  const unknown = runsOf(track.ts, track.arrival, track.count, ARRIVAL_UNKNOWN, joinMs);
  return {
    filled: filled.spans,
    late: late.spans,
    unknown: unknown.spans,
    filledCount: filled.total,
    lateCount: late.total,
    unknownCount: unknown.total,
  };
}
