/**
 * Retention: delete fixes older than a cutoff, per member and in small transactions, yielding to the event loop
 * between them so the writer's 100 ms flushes and the renderer's queries keep their pace.
 */
import type Database from 'better-sqlite3';
import type { HourColumns } from './hour-columns.js';
import type { TrackQueries } from './queries.js';

export const DAY_MS = 24 * 3600 * 1000;
export const RETENTION_CHUNK = 5_000;

/** The cutoff time for a retention in days; undefined for 0 (keep everything). */
export function retentionCutoff(retentionDays: number, now: number): number | undefined {
  if (!Number.isFinite(retentionDays) || retentionDays <= 0) return undefined;
  return now - retentionDays * DAY_MS;
}

export async function deleteOlderThan(
  db: Database.Database,
  queries: TrackQueries,
  cutoffTs: number,
  chunk = RETENTION_CHUNK,
  hours?: HourColumns,
): Promise<number> {
  // The `chunk`-th oldest fix of the member below the cutoff bounds one transaction's delete.
  const boundary = db
    .prepare('SELECT ts FROM fixes WHERE uid = ? AND ts < ? ORDER BY ts LIMIT 1 OFFSET ?')
    .pluck();
  const deleteUpTo = db.prepare('DELETE FROM fixes WHERE uid = ? AND ts <= ?');
  const deleteBelow = db.prepare('DELETE FROM fixes WHERE uid = ? AND ts < ?');
  // The hours whose rows a chunk deletes lose their blobs in the same transaction (hour-columns.ts).
  const deleteChunk = db.transaction((uid: string, upTo: number | undefined): number => {
    const changes =
      upTo === undefined ? deleteBelow.run(uid, cutoffTs).changes : deleteUpTo.run(uid, upTo).changes;
    if (changes > 0) hours?.dropUpTo(uid, upTo ?? Math.ceil(cutoffTs) - 1);
    return changes;
  });
  let deleted = 0;
  for (const uid of queries.members()) {
    for (;;) {
      const upTo = boundary.get(uid, cutoffTs, chunk - 1) as number | undefined;
      const changes = deleteChunk(uid, upTo);
      deleted += changes;
      await new Promise((resolve) => setImmediate(resolve));
      if (upTo === undefined || changes === 0) break;
    }
  }
  return deleted;
}
