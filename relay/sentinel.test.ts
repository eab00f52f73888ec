/**
 * The relay on Redis Sentinel (REDIS_SENTINELS / REDIS_MASTER_NAME) through a real failover: one master, one
 * replica, three sentinels on private ports. A backend positions 200 fixes/s through Sentinel while three stations
 * watch every member; the master is SIGKILLed mid-flow. Half the members are positioned as PHP does (position.lua,
 * which publishes from the script: a fix the master answered may be lost with it, and stations are then told
 * `epoch_changed`), half as a relay does (positionBatch, published only once the replica acknowledged: nothing
 * answered is lost, no epoch changes). Every station must end holding every fix up to the member's latest in Redis,
 * with offsets continuing, or be told `epoch_changed` before any fix of a new epoch and then get every later one:
 * never a silent hole. /readyz reports the outage and the recovery.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from './app.js';
import { createPositioning, PositioningError, type Positioning } from './positioning/positioning.js';
import {
  expectReadinessFollowed,
  expectStationsHoldRedis,
  sampleReadiness,
  steadyLoad,
} from '../test/support/failover.js';
import {
  hasRedisSentinel,
  startPrivateSentinels,
  type PrivateSentinels,
} from '../test/support/redis-sentinel.js';
import { connectStation, operatorToken, startTestRelay, type TestStation } from '../test/support/relay.js';
import { auditStation } from '../test/support/station-audit.js';
import type { ServerMessage } from '../protocol/messages.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const hasPhpRedis = (() => {
  try {
    return /^redis$/m.test(execFileSync('php', ['-m'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
})();
if (!hasPhpRedis) console.warn('php or php-redis is not installed: skipping the PHP Sentinel check');
if (!hasRedisSentinel)
  console.warn('redis-sentinel is not installed (apt-get install redis-sentinel): skipping');

const PREFIX = 'sentinel-test:';
const UIDS = Array.from({ length: 20 }, (_, i) => String(900 + i));
/** Positioned as a relay does (positionBatch): the others as PHP does (position). */
const BATCHED = new Set(UIDS.filter((_, i) => i % 2 === 1));

describe.skipIf(!hasRedisSentinel)('relay on Redis Sentinel', () => {
  let sentinels: PrivateSentinels;
  let relay: RunningRelay;
  let backend: Redis;
  let positioning: Positioning;
  const stations: TestStation[] = [];

  beforeAll(async () => {
    sentinels = await startPrivateSentinels();
    relay = await startTestRelay({
      redisUrl: 'redis://unused.invalid:1',
      redisSentinels: sentinels.sentinels,
      redisMasterName: sentinels.masterName,
      keyPrefix: PREFIX,
    });
    backend = new Redis({
      sentinels: sentinels.sentinelPorts.map((port) => ({ host: '127.0.0.1', port })),
      name: sentinels.masterName,
      maxRetriesPerRequest: null,
      enableAutoPipelining: true,
      retryStrategy: () => 100,
      sentinelRetryStrategy: () => 100,
    });
    backend.on('error', () => undefined);
    positioning = createPositioning(backend, { keyPrefix: PREFIX });
    for (let i = 0; i < 3; i++) {
      const station = await connectStation(relay.wsUrl, await operatorToken('*'));
      station.send({ type: 'watch', id: 'w', members: UIDS.map((uid) => ({ uid })) });
      await Promise.all(UIDS.map((uid) => station.next('watched', (m) => m.uid === uid)));
      stations.push(station);
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(stations.map((s) => s.close()));
    await relay?.close({ drainMs: 0 });
    backend?.disconnect();
    await sentinels?.stop();
  });

  it('keeps every station gap-free through a master kill at 200 fixes/s, and /readyz follows', async () => {
    expect(relay.stats().redisHealthy).toBe(true);
    const readiness = sampleReadiness(relay.httpUrl);

    // 200 fixes/s, each retried until Redis answers (PHP would; the relay holds an unavailable batch and retries).
    let batchedAnswered = 0;
    const load = steadyLoad(UIDS, async (uid, ts) => {
      const fix = { uid, lat: 23.1 + (ts % 1000) / 1e5, lon: 113.3, ts, crs: 'gcj02' as const };
      if (!BATCHED.has(uid)) return positioning.position(fix, `sentinel-${ts}`);
      const [outcome] = await positioning.positionBatch([{ fix, idempotencyKey: `sentinel-${ts}` }]);
      if (outcome instanceof PositioningError) throw outcome;
      batchedAnswered++;
      return outcome;
    });
    await expect.poll(() => load.answered, { timeout: 10_000 }).toBeGreaterThan(300);
    const killedAt = Date.now();
    const oldMaster = await sentinels.killMaster();
    const newMaster = await sentinels.failedOver(oldMaster);
    expect(newMaster).not.toBe(oldMaster);
    await expect.poll(() => relay.stats().redisHealthy, { timeout: 15_000 }).toBe(true);
    const ackedAtRecovery = load.answered;
    await expect.poll(() => load.answered, { timeout: 10_000 }).toBeGreaterThan(ackedAtRecovery + 300);
    await load.stop();

    // Every station catches up to each member's latest position in Redis (the new master), without a hole.
    const epochChanges = await expectStationsHoldRedis(stations, UIDS, positioning);
    // What positionBatch answered is in Redis, once, in the member's first epoch: its writes were acknowledged by
    // the replica that was promoted before anything was published or answered.
    let batchedPositioned = 0;
    let batchedEpochChanges = 0;
    for (const uid of BATCHED) {
      batchedPositioned += (await positioning.latest(uid))?.offset ?? 0;
      for (const station of stations)
        batchedEpochChanges += auditStation(station.received as ServerMessage[], uid).epochChanges;
    }
    console.info(
      `sentinel failover: ${load.answered} fixes acknowledged, ${epochChanges} epoch_changed notices over ` +
        `${stations.length} stations x ${UIDS.length} members; batched: ${batchedAnswered} answered, ` +
        `${batchedAnswered - batchedPositioned} not positioned, ${batchedEpochChanges} epoch_changed notices`,
    );
    expect(batchedEpochChanges, 'epoch_changed for members positioned by positionBatch').toBe(0);
    expect(batchedPositioned, 'fixes positionBatch answered, in Redis').toBe(batchedAnswered);

    expectReadinessFollowed(await readiness.stop(), killedAt);
  }, 120_000);
  it.skipIf(!hasPhpRedis)(
    'docs/php.md: PHP finds the promoted master through the sentinels and publishes',
    async () => {
      const doc = readFileSync(`${ROOT}docs/php.md`, 'utf8');
      expect(doc).toContain(readFileSync(`${ROOT}docs/php/sentinel-master.php`, 'utf8').trim());
      const station = stations[0]!;
      station.send({ type: 'watch', id: 'php', members: [{ uid: '950' }] });
      await station.next('watched', (m) => m.uid === '950');
      const sentinelList = sentinels.sentinelPorts.map(
        (port) => `['host' => '127.0.0.1', 'port' => ${port}]`,
      );
      const code = [
        "require 'docs/php/sentinel-master.php';",
        "require 'docs/php/publish-fix.php';",
        `$redis = lodestar_sentinel_master([['host' => '127.0.0.1', 'port' => 1], ${sentinelList.join(', ')}], '${sentinels.masterName}');`,
        "echo lodestar_publish_fix($redis, 950, ['longitude' => '113.3', 'latitude' => '23.125']);",
      ].join('\n');
      const { stdout } = await promisify(execFile)('php', ['-r', code], { cwd: ROOT });
      expect(Number(stdout)).toBeGreaterThan(0);
      const fix = await station.next('fix', (m) => m.fix.uid === '950');
      expect(fix.fix.lat).toBe(23.125);
    },
  );
});
