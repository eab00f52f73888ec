/**
 * The seam with real concurrency: fixes keep being positioned while a station's catch-up is read, and the
 * SeamMerger (as a relay session uses it) must hand the station every fix after its position exactly once, in order.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixPosition, PositionedFix } from '../../protocol/fix.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import { parsePositionedMessage } from './positioned-message.js';
import { createPositioning, type Positioning } from './positioning.js';
import { SeamMerger } from './seam.js';

let server: PrivateRedis;
let redis: Redis;
let subscriber: Redis;
let positioning: Positioning;
let sequence = 0;

async function positionNext(uid: string): Promise<PositionedFix> {
  sequence += 1;
  const fix = { uid, lat: 23, lon: 113, ts: 1_700_000_000_000 + sequence, crs: 'gcj02' as const };
  return (await positioning.position(fix, `k${sequence}`))!;
}

beforeAll(async () => {
  server = await startPrivateRedis();
  redis = new Redis(server.url, { enableAutoPipelining: true });
  subscriber = new Redis(server.url);
  positioning = createPositioning(redis);
});
afterAll(async () => {
  redis.disconnect();
  subscriber.disconnect();
  await server.stop();
});

describe('catch-up while fixes keep coming', () => {
  it.each([5, 60, 150])(
    'delivers every fix after the held offset once, in order (%i behind)',
    async (behind) => {
      const uid = `m${behind}`;
      let last = { epoch: '', offset: 0 };
      for (let i = 0; i < 200; i++) last = await positionNext(uid);
      const held: FixPosition = { epoch: last.epoch, offset: last.offset - behind };

      // The session: subscribed to the positioned channel BEFORE the catch-up read, feeding the merger.
      const merger = new SeamMerger();
      const delivered: PositionedFix[] = [];
      const onMessage = (_channel: string, message: string) => {
        const parsed = parsePositionedMessage(message);
        if (parsed.ok && parsed.value.uid === uid) delivered.push(...merger.live(parsed.value));
      };
      subscriber.on('message', onMessage);
      await subscriber.subscribe(positioning.options.positionedChannel);

      // The watch arrives: from now on this member's live fixes are the station's, buffered until the replay is in.
      merger.beginReplay(uid);

      // A publisher that does not stop for the catch-up: fixes land before, during and after the read.
      let publishing = true;
      let newest = last.offset;
      const publisher = (async () => {
        while (publishing) {
          const batch = await Promise.all([positionNext(uid), positionNext(uid), positionNext('other')]);
          newest = Math.max(newest, ...batch.filter((f) => f.uid === uid).map((f) => f.offset));
        }
      })();
      await new Promise((r) => setTimeout(r, 20));

      merger.beginReplay(uid);
      const { catchup, fixes } = await positioning.catchup(uid, held);
      expect(catchup.status).toBe('replaying');
      const { replay, live } = merger.finishReplay(uid, fixes, held);
      expect(replay).toEqual(fixes);
      delivered.push(...replay, ...live);

      await new Promise((r) => setTimeout(r, 50));
      publishing = false;
      await publisher;
      await expect.poll(() => delivered.at(-1)?.offset).toBe(newest);
      subscriber.off('message', onMessage);
      await subscriber.unsubscribe();

      const offsets = delivered.map((f) => f.offset);
      const expected = Array.from({ length: newest - held.offset }, (_, i) => held.offset + 1 + i);
      expect(offsets).toEqual(expected);
      expect(fixes.length).toBeGreaterThanOrEqual(behind);
    },
  );
});
