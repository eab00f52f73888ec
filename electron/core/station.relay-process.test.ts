/**
 * The station against the relay as a real process (`npm run relay`), for what only a process can show: a relay
 * that stops answering without closing (SIGSTOP: a hung host, a dead network path) is detected by its missing
 * heartbeats, and a relay draining on SIGTERM (close 1012) is followed by a quick reconnect to its successor.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { until } from '../../test/support/wait.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fix } from '../../protocol/fix.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import { operatorToken, spawnRelay, type SpawnedRelay } from '../../test/support/relay.js';
import type { StationStatus } from '../../contract/station-api.js';
import { memoryVault, openStationRuntime, type StationRuntime } from './runtime.js';
import { trackExporter } from './station/exporter.js';

let redis: PrivateRedis;
let publisher: Redis;
let relay: SpawnedRelay;
let runtime: StationRuntime;
let dir: string;
const statuses: StationStatus[] = [];
const live: Fix[] = [];
const HEARTBEAT_MS = 200;

function startRelayProcess(port?: number): Promise<SpawnedRelay> {
  return spawnRelay({
    REDIS_URL: redis.url,
    RELAY_HEARTBEAT_MS: String(HEARTBEAT_MS),
    RELAY_DRAIN_MS: '0',
    RELAY_KEY_PREFIX: 'station-process-test:',
    ...(port ? { RELAY_PORT: String(port) } : {}),
  });
}

async function fixesFlow(): Promise<void> {
  const count = live.length;
  for (let attempt = 0; attempt < 60 && live.length === count; attempt++) {
    await publisher.publish(
      'location_update',
      JSON.stringify({ uid: 7, longitude: '113.3', latitude: '23.1' }),
    );
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(live.length).toBeGreaterThan(count);
}

beforeAll(async () => {
  redis = await startPrivateRedis();
  publisher = new Redis(redis.url);
  relay = await startRelayProcess();
  dir = mkdtempSync(join(tmpdir(), 'lodestar-station-process-'));
  runtime = openStationRuntime({
    dataDir: dir,
    relayUrl: relay.wsUrl,
    vault: memoryVault(await operatorToken('*')),
    exporter: trackExporter,
    logger: pino({ level: 'silent' }),
    backoff: { baseMs: 50, maxMs: 500 },
  });
  runtime.station.onStatus((s) => statuses.push(s));
  runtime.station.onFixes((f) => live.push(...f));
  await runtime.station.watch('7');
  runtime.station.start();
  await until(() => statuses.find((s) => s.state === 'connected'));
}, 60_000);

afterAll(async () => {
  await runtime?.close();
  relay?.child.kill('SIGKILL');
  publisher?.disconnect();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('station ⇄ relay process', () => {
  it('notices a relay that went silent (SIGSTOP) by its missing heartbeats, and recovers after SIGCONT', async () => {
    await fixesFlow();
    const mark = statuses.length;
    const stoppedAt = Date.now();
    relay.child.kill('SIGSTOP');
    try {
      const dead = await until(
        () => statuses.slice(mark).find((s) => s.code === 'heartbeat_timeout'),
        10_000,
      );
      // The deadline is 2.5 heartbeats after the last message heard, and the relay sent one at most a heartbeat
      // before it stopped (or a fix since, which fixesFlow may have noticed up to 100 ms late): at least 1.5
      // heartbeats of silence after the stop. A deadline of one heartbeat would fail this.
      expect(dead.since - stoppedAt).toBeGreaterThanOrEqual(HEARTBEAT_MS * 1.5);
      expect((await runtime.station.queryRange({ uid: '7', from: 0, to: Date.now() })).count).toBeGreaterThan(
        0,
      );
    } finally {
      relay.child.kill('SIGCONT');
    }
    await until(() => statuses.slice(mark).find((s) => s.state === 'connected'), 20_000);
    await fixesFlow();
  }, 40_000);

  it('follows a draining relay (SIGTERM, close 1012) to its successor on the same port', async () => {
    const mark = statuses.length;
    const port = relay.port;
    relay.child.kill('SIGTERM');
    await relay.exited;
    const restarting = await until(() => statuses.slice(mark).find((s) => s.code === 'service_restart'));
    expect(restarting.state).toBe('reconnecting');
    relay = await startRelayProcess(port);
    await until(() => statuses.slice(mark).find((s) => s.state === 'connected'), 20_000);
    await fixesFlow();
  }, 60_000);
});
