/**
 * The relay's positioning library: assigns every fix its per-member position in Redis (position.lua) and serves
 * catch-up, range and history reads. Holds no state of its own, so any relay instance can serve any station.
 * This file is the facade: scripts.ts, errors.ts, write-path.ts and read-path.ts hold the parts.
 */
import type { RedisClient } from '../redis.js';
import type { Fix, FixPosition, PositionedFix } from '../../protocol/fix.js';
import { guarded } from './errors.js';
import { resolvePositioningOptions, type PositioningOptions } from './options.js';
import { createReadPath, type CatchupResult, type HistoryPage, type RangeResult } from './read-path.js';
import { defineScripts } from './scripts.js';
import type { AckEvents } from './acked-publish.js';
import { createWritePath, type BatchItem, type BatchOutcome } from './write-path.js';

export { PositioningError, type PositioningErrorCode } from './errors.js';
export type { AckEvents, AckShortfall } from './acked-publish.js';
export type { CatchupResult, HistoryPage, RangeResult } from './read-path.js';
export { POSITION_SCRIPT } from './scripts.js';
export { MAX_POSITION_BATCH, type BatchItem, type BatchOutcome } from './write-path.js';

export interface Positioning {
  readonly options: PositioningOptions;
  /** Position one canonical fix; null when another caller already positioned this idempotency key. */
  position(fix: Fix, idempotencyKey: string): Promise<PositionedFix | null>;
  /**
   * Position up to MAX_POSITION_BATCH fixes in one script call, published on the positioned channel as one JSON
   * array. One outcome per item, in order: a refused item is a PositioningError and does not affect the others.
   */
  positionBatch(items: readonly BatchItem[]): Promise<BatchOutcome[]>;
  latest(uid: string): Promise<PositionedFix | null>;
  /**
   * What a `watch` of this member with `since` gets: the `catchup` verdict, the fixes to replay (empty unless
   * `replaying`), and the member's latest fix for the `watched` reply, all from one consistent read.
   */
  catchup(uid: string, since: FixPosition | undefined): Promise<CatchupResult>;
  /**
   * Retire the member's epoch when Redis no longer has `witnessed`, a position this relay itself received from
   * Redis (it lost its latest writes: AOF crash, lagging replica); the member's next fix then starts a new epoch in
   * position.lua. Never call it with a station's `since`: a client's claim is no evidence. Returns whether retired.
   */
  retireLostWrites(uid: string, witnessed: FixPosition): Promise<boolean>;
  range(uid: string, epoch: string, from: number, to: number): Promise<RangeResult>;
  /** Fixes with from <= ts <= to in (ts, offset) order, `limit` (capped by historyPageMax) per page. */
  history(uid: string, from: number, to: number, limit?: number, cursor?: string): Promise<HistoryPage>;
}

/**
 * Wire positioning onto an ioredis command connection (not a subscriber), with `enableAutoPipelining` so that
 * concurrent calls share round trips. `events`: what the relay counts and logs of replica acknowledgements.
 */
export function createPositioning(
  redis: RedisClient,
  given: Partial<PositioningOptions> = {},
  events: AckEvents = {},
): Positioning {
  const options = resolvePositioningOptions(given);
  const scripts = defineScripts(redis);
  const write = createWritePath(redis, scripts, options, events);
  const read = createReadPath(redis, scripts, options);
  return {
    options,
    position: (...args) => guarded(write.position(...args)),
    positionBatch: (...args) => guarded(write.positionBatch(...args)),
    retireLostWrites: (...args) => guarded(write.retireLostWrites(...args)),
    latest: (...args) => guarded(read.latest(...args)),
    catchup: (...args) => guarded(read.catchup(...args)),
    range: (...args) => guarded(read.range(...args)),
    history: (...args) => guarded(read.history(...args)),
  };
}
