/**
 * A station whose event loop is busy for seconds at a time (large SQLite batches, a loaded machine) keeps its relay
 * connection and stores every fix. The relay runs in this process, as in the renderer benchmark, so each stall
 * stalls both ends: neither side's heartbeat timer may take frames still unread in a socket for silence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signOperatorToken } from '../../relay/auth/tokens.js';
import { startRelay, type RunningRelay } from '../../relay/app.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import { until } from '../../test/support/wait.js';
import type { StationStatus } from '../../contract/station-api.js';
import { memoryVault, openStationRuntime, type StationRuntime } from './runtime.js';
import { trackExporter } from './station/exporter.js';

const SECRET = 'station-stall-secret-0123456789';
const HEARTBEAT_MS = 300;
/** Well past both the relay's ping interval and the station's 2.5-heartbeat deadline. */
const STALL_MS = 1_500;
const MEMBERS = Array.from({ length: 50 }, (_, i) => String(700 + i));
const ROUNDS = 4;

let redis: PrivateRedis;
let publisher: Redis;
let relay: RunningRelay;
let runtime: StationRuntime;
let dir: string;
const statuses: StationStatus[] = [];

/** Block this process's event loop, as a long synchronous task does. */
function stall(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

beforeAll(async () => {
  redis = await startPrivateRedis();
  publisher = new Redis(redis.url);
  relay = await startRelay({
    secret: SECRET,
    redisUrl: redis.url,
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: 'silent' }),
    heartbeatMs: HEARTBEAT_MS,
    positioning: true,
    keyPrefix: `test:${randomBytes(4).toString('hex')}:`,
  });
  dir = mkdtempSync(join(tmpdir(), 'lodestar-stall-'));
  runtime = openStationRuntime({
    dataDir: dir,
    relayUrl: relay.wsUrl,
    vault: memoryVault(await signOperatorToken(SECRET, { sub: 'dispatch', members: '*', ttlSeconds: 3600 })),
    exporter: trackExporter,
    logger: pino({ level: 'silent' }),
    backoff: { baseMs: 50, maxMs: 300 },
  });
  for (const uid of MEMBERS) runtime.store.putWatched(uid, { label: uid, color: '#e6194b' });
  runtime.station.onStatus((s) => statuses.push(s));
  runtime.station.start();
  await until(() => relay.stats().watchedMembers >= MEMBERS.length, { what: 'every member watched' });
  // A PUBLISH before the relay's subscription is in place reaches nobody.
  await until(
    async () => Number(((await publisher.pubsub('NUMSUB', 'location_update')) as unknown[])[1]) > 0,
    {
      what: 'the relay subscribed',
    },
  );
});

afterAll(async () => {
  await runtime?.close();
  await relay?.close({ drainMs: 0 }).catch(() => undefined);
  publisher?.disconnect();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a station whose event loop is busy for seconds', () => {
  it('keeps its relay connection and stores every fix', async () => {
    const start = Date.now() - 60_000;
    let published = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const pipeline = publisher.pipeline();
      for (const [i, uid] of MEMBERS.entries()) {
        const body = { uid: Number(uid), longitude: '113.300000', latitude: (23 + i * 1e-4).toFixed(6) };
        pipeline.publish('location_update', JSON.stringify({ ...body, ts: start + round * 1000 }));
      }
      await pipeline.exec();
      published += MEMBERS.length;
      // The fixes are on their way through the relay (this process) while everything here is blocked.
      stall(STALL_MS);
      await until(() => runtime.station.counters.fixesAccepted >= published, {
        what: `round ${round} accepted`,
      });
    }
    const stored = (): number =>
      MEMBERS.reduce((sum, uid) => sum + runtime.store.countRange(uid, 0, Date.now()), 0);
    await until(() => stored() >= published, { what: 'every fix stored' });
    expect(stored()).toBe(published);
    expect(runtime.station.relay.counters.reconnects).toBe(0);
    expect(statuses.some((s) => s.code === 'heartbeat_timeout')).toBe(false);
    expect(runtime.station.relay.counters.heartbeatStalls).toBeGreaterThan(0);
  }, 60_000);
});
