/**
 * The latest known fix of each member, kept in Redis (hash `${keyPrefix}latest`, uid → fix JSON) so that every
 * relay instance answers a watch with it, whichever instance saw the fix.
 *
 * Writes are coalesced: fixes since the last flush are kept per member in memory and written with one HSET every
 * `flushMs`, never awaited by the fan-out. A member moving at 10 Hz costs one field write per flush, not ten.
 * Reads look at the unflushed fixes first, so this instance never answers with something older than it has sent.
 */
import type { RedisClient } from './redis.js';
import type { Logger } from 'pino';
import type { Fix } from '../protocol/fix.js';
import { fixSchema } from '../protocol/fix.js';

export interface LatestPositions {
  record(fix: Fix, json?: string): void;
  /** The member's latest fix, or null if none is known. Rejects if Redis cannot be read. */
  get(uid: string): Promise<Fix | null>;
  close(): Promise<void>;
}

export function redisLatestPositions(
  redis: RedisClient,
  keyPrefix: string,
  logger: Logger,
  flushMs = 50,
): LatestPositions {
  const key = `${keyPrefix}latest`;
  /** Unflushed fixes, one entry per member, updated in place: one map lookup per fix on the hot path. */
  let pending = new Map<string, { fix: Fix; json: string }>();

  /** The last write issued, so `close` can wait for it rather than leave it in flight. */
  let lastWrite: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (pending.size === 0) return lastWrite;
    const entries = pending;
    pending = new Map();
    if (redis.status !== 'ready') return lastWrite; // Redis is away: the next fix of each member rewrites it.
    const batch = new Map<string, string>();
    for (const [uid, entry] of entries) batch.set(uid, entry.json);
    lastWrite = redis.hset(key, batch).then(
      () => undefined,
      (error: Error) => logger.debug({ err: error.message }, 'latest write failed'),
    );
    return lastWrite;
  };
  const timer = setInterval(flush, flushMs);
  timer.unref();

  return {
    record(fix, json) {
      const known = pending.get(fix.uid);
      if (known === undefined) {
        pending.set(fix.uid, { fix, json: json ?? JSON.stringify(fix) });
        return;
      }
      // Out-of-order fixes (a queued upload arriving late) must not replace a newer position.
      if (known.fix.ts > fix.ts) return;
      known.fix = fix;
      known.json = json ?? JSON.stringify(fix);
    },
    async get(uid) {
      const local = pending.get(uid)?.fix;
      if (local) return local;
      const stored = await redis.hget(key, uid);
      if (stored === null) return null;
      try {
        const parsed = fixSchema.safeParse(JSON.parse(stored));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    /** Resolves once the last coalesced write has reached Redis (or failed). */
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
