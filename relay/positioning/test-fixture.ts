/**
 * Shared set-up of the positioning tests: one private redis-server per test file, and a fresh key prefix per
 * positioning so tests do not see each other's members.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import type { Fix, PositionedFix } from '../../protocol/fix.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import { createPositioning, type Positioning } from './positioning.js';

export const T0 = 1_700_000_000_000;

export const fixOf = (uid: string, i: number, ts = T0 + i * 1000): Fix => ({
  uid,
  lat: 30 + i / 1e6,
  lon: 120.123456789,
  ts,
  crs: 'gcj02',
});
export const offsetsOf = (fixes: PositionedFix[]) => fixes.map((f) => f.offset);
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export interface PositioningFixture {
  server: PrivateRedis;
  /** Command connection with auto-pipelining. */
  redis: Redis;
  /** A second connection, as a second relay would have. */
  other: Redis;
  fresh(options?: Parameters<typeof createPositioning>[1], client?: Redis): Positioning;
  /** Position fixes `from..from+count-1` of a member concurrently (idempotency keys `k<i>`). */
  positionMany(p: Positioning, uid: string, count: number, from?: number): Promise<PositionedFix[]>;
}

/** Call at the top of a test file; the fields are set once beforeAll has run. */
export function usePrivatePositioning(): PositioningFixture {
  let prefixes = 0;
  const fixture = {
    fresh(options = {}, client = fixture.redis) {
      prefixes += 1;
      return createPositioning(client, { keyPrefix: `t${prefixes}:`, channel: `raw${prefixes}`, ...options });
    },
    async positionMany(p, uid, count, from = 1) {
      const out = await Promise.all(
        range(from, from + count - 1).map((i) => p.position(fixOf(uid, i), `k${i}`)),
      );
      return out as PositionedFix[];
    },
  } as PositioningFixture;
  beforeAll(async () => {
    fixture.server = await startPrivateRedis();
    fixture.redis = new Redis(fixture.server.url, { enableAutoPipelining: true });
    fixture.other = new Redis(fixture.server.url, { enableAutoPipelining: true });
  });
  afterAll(async () => {
    fixture.redis?.disconnect();
    fixture.other?.disconnect();
    await fixture.server?.stop();
  });
  return fixture;
}
