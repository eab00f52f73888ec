/**
 * Export file names say who and which period in the dispatcher's local time, and never collide with a file that
 * is already there: `lodestar_42_2026-11-30.gpx`, `lodestar_3-members_2026-11-30.gpx`, then `…_2.gpx`, `…_3.gpx`.
 */
const DAY = 86_400_000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local calendar parts of `ms` in a zone `utcOffsetMinutes` east of UTC. */
function local(ms: number, utcOffsetMinutes: number) {
  const d = new Date(ms + utcOffsetMinutes * 60_000);
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    hm: `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`,
    midnight: Math.floor((ms + utcOffsetMinutes * 60_000) / DAY) * DAY - utcOffsetMinutes * 60_000,
  };
}

/**
 * The period part: one whole local day is its date; whole days are `first_last`; anything else names its start and
 * end to the minute (`2026-11-30_1400-1530`, or `2026-11-30_2200_2026-12-01_0600` across midnight). `to` is
 * inclusive, as in every range query, so a day is `[midnight, next midnight - 1]`.
 */
export function periodPart(from: number, to: number, utcOffsetMinutes: number): string {
  const a = local(from, utcOffsetMinutes);
  const b = local(to, utcOffsetMinutes);
  const wholeDays = from === a.midnight && (to + 1 - b.midnight) % DAY === 0 && to + 1 - b.midnight === DAY;
  if (wholeDays) return a.date === b.date ? a.date : `${a.date}_${b.date}`;
  return a.date === b.date ? `${a.date}_${a.hm}-${b.hm}` : `${a.date}_${a.hm}_${b.date}_${b.hm}`;
}

/** Member ids may hold `.` and `:`; only letters, digits, `_` and `-` go into a file name. */
const safe = (uid: string) => uid.replace(/[^A-Za-z0-9_-]/g, '-');

export function exportBaseName(
  uids: readonly string[],
  from: number,
  to: number,
  utcOffsetMinutes: number,
): string {
  const who = uids.length === 1 ? safe(uids[0]!) : `${uids.length}-members`;
  return `lodestar_${who}_${periodPart(from, to, utcOffsetMinutes)}`;
}

/** `base.ext`, or the first `base_N.ext` (N from 2) that `taken` does not hold. */
export function uniqueFileName(base: string, extension: string, taken: (name: string) => boolean): string {
  let name = `${base}.${extension}`;
  for (let n = 2; taken(name); n++) name = `${base}_${n}.${extension}`;
  return name;
}
