/**
 * The station end to end: a real relay (in-process) on a private redis-server, real SQLite files in temp
 * folders, fixes published on Redis the way the customer's PHP does it.
 *
 * This relay runs without positioning: the file proves reconnect + re-watch + no duplicates. Catch-up of what a
 * stopped station missed, through a positioning relay, is station.catchup.test.ts; answers to watch requests are
 * station.watch.test.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signOperatorToken } from '../../relay/auth/tokens.js';
import { startRelay, type RunningRelay } from '../../relay/app.js';
import type { Fix } from '../../protocol/fix.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import { until } from '../../test/support/wait.js';
import type { StationStatus } from '../../contract/station-api.js';
import { memoryVault, openStationRuntime, type StationRuntime } from './runtime.js';
import type { TokenVault } from './station.js';
import { trackExporter } from './station/exporter.js';
import { openTrackStore } from './store/index.js';

const SECRET = 'station-test-secret-0123456789';
const silent = pino({ level: 'silent' });
let redis: PrivateRedis;
let publisher: Redis;
let relay: RunningRelay;
let relayPort: number;
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lodestar-station-'));
  dirs.push(dir);
  return dir;
}

/** What the customer's PHP publishes: string coordinates, integer uid, no time. */
function publishPhpStyle(uid: number, lon: number, lat: number): Promise<number> {
  return publisher.publish(
    'location_update',
    JSON.stringify({ uid, longitude: lon.toFixed(6), latitude: lat.toFixed(6) }),
  );
}

async function openStation(
  token: string | TokenVault,
): Promise<{ runtime: StationRuntime; statuses: StationStatus[] }> {
  const runtime = openStationRuntime({
    dataDir: tempDir(),
    relayUrl: relay.wsUrl,
    vault: typeof token === 'string' ? memoryVault(token) : token,
    exporter: trackExporter,
    logger: silent,
    backoff: { baseMs: 50, maxMs: 300 },
  });
  const statuses: StationStatus[] = [];
  runtime.station.onStatus((s) => statuses.push(s));
  return { runtime, statuses };
}

beforeAll(async () => {
  redis = await startPrivateRedis();
  publisher = new Redis(redis.url);
  relay = await startRelay({
    secret: SECRET,
    redisUrl: redis.url,
    port: 0,
    host: '127.0.0.1',
    logger: silent,
    heartbeatMs: 500,
  });
  relayPort = relay.port;
});

afterAll(async () => {
  await relay.close({ drainMs: 0 }).catch(() => undefined);
  publisher.disconnect();
  await redis.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('station ⇄ relay ⇄ Redis', () => {
  let runtime: StationRuntime;
  let statuses: StationStatus[];
  const live: Fix[] = [];

  beforeAll(async () => {
    const token = await signOperatorToken(SECRET, { sub: 'alice', members: ['42', '43'], ttlSeconds: 3600 });
    ({ runtime, statuses } = await openStation(token));
    runtime.station.onFixes((fixes) => live.push(...fixes));
    await runtime.station.watch('42');
    runtime.station.start();
    await until(() => statuses.find((s) => s.state === 'connected'));
  });

  afterAll(async () => {
    await runtime.close();
  });

  it('stores fixes published on Redis and shows them live, in batches', async () => {
    // The watch goes out right after welcome; give the relay a moment to register it.
    for (let attempt = 0; attempt < 50 && live.length === 0; attempt++) {
      await publishPhpStyle(42, 113.3, 23.1);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(live.length).toBeGreaterThan(0);
    const before = live.length;
    // No `ts` in PHP's fixes: the relay stamps them, and two in the same millisecond are the same fix to the store.
    for (let i = 1; i <= 20; i++) {
      await publishPhpStyle(42, 113.3 + i * 1e-4, 23.1 + i * 1e-4);
      await new Promise((r) => setTimeout(r, 3));
    }
    await until(() => live.length >= before + 20);
    await runtime.station.fixesDelivered();
    const stored = await runtime.station.queryRange({ uid: '42', from: 0, to: Date.now() + 1000 });
    expect(stored.count).toBe(live.length);
    expect(stored.lon[stored.count - 1]).toBeCloseTo(113.302, 6);
    expect(Array.from(stored.crs).every((c) => c === 0)).toBe(true); // gcj02, the PHP default
  });

  it('does not receive members it does not watch', async () => {
    const count = live.length;
    await publishPhpStyle(43, 113.5, 23.5);
    await publishPhpStyle(42, 113.4, 23.4);
    await until(() => live.length > count);
    expect(live.slice(count).map((f) => f.uid)).toEqual(['42']);
  });

  it('starts and stops receiving a member watched and unwatched while connected', async () => {
    await runtime.station.watch('43', { label: 'Van 43' }); // resolves once the relay has answered
    const count = live.length;
    await publishPhpStyle(43, 113.7, 23.7);
    // The fix just published, not the member's latest the relay's `watched` answer carries.
    await until(() => live.slice(count).some((f) => f.uid === '43' && f.lat === 23.7), {
      what: 'a fix of the new member',
    });

    await runtime.station.unwatch('43'); // resolves on the relay's confirmation
    const after = live.length;
    await publishPhpStyle(43, 113.8, 23.8);
    await new Promise((r) => setTimeout(r, 5));
    await publishPhpStyle(42, 113.8, 23.8);
    await until(() => live.length > after);
    expect(live.slice(after).map((f) => f.uid)).toEqual(['42']);
  });

  it('answers history from SQLite while the relay is down, then reconnects, re-watches and stores new fixes once', async () => {
    await runtime.store.flush();
    const storedBefore = (await runtime.station.stats({ uid: '42', from: 0, to: Date.now() + 1000 })).count;
    await relay.close({ drainMs: 0 });
    await until(() => ['reconnecting', 'offline'].includes(statuses.at(-1)?.state ?? ''));
    const history = await runtime.station.queryRange({ uid: '42', from: 0, to: Date.now() + 1000 });
    expect(history.count).toBe(storedBefore);
    expect((await runtime.station.latest(['42']))[0]?.uid).toBe('42');

    relay = await startRelay({
      secret: SECRET,
      redisUrl: redis.url,
      port: relayPort,
      host: '127.0.0.1',
      logger: silent,
      heartbeatMs: 500,
    });
    const reconnectedAt = statuses.length;
    await until(() => statuses.slice(reconnectedAt).find((s) => s.state === 'connected'));
    const count = live.length;
    for (let attempt = 0; attempt < 50 && live.length === count; attempt++) {
      await publishPhpStyle(42, 113.6, 23.6);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(live.length).toBeGreaterThan(count);
    await runtime.station.fixesDelivered();
    const after = await runtime.station.stats({ uid: '42', from: 0, to: Date.now() + 1000 });
    // The watch reply's `latest` repeats a fix we hold: stored once, shown once.
    expect(after.count).toBe(live.filter((f) => f.uid === '42').length);
  });

  it('is unauthorized with the relay’s code when the token is rejected, and still answers history', async () => {
    const forged = await signOperatorToken('another-secret-0123456789abcdef', {
      sub: 'mallory',
      members: '*',
      ttlSeconds: 3600,
    });
    const other = await openStation(forged);
    other.runtime.station.start();
    const status = await until(() => other.statuses.find((s) => s.state === 'unauthorized'));
    expect(status.code).toBe('token_bad_signature');
    expect((await other.runtime.station.getStatus()).state).toBe('unauthorized');
    expect((await other.runtime.station.listWatched()).length).toBe(0);
    await other.runtime.close();
  });
});

describe('operator token lifetime through the relay', () => {
  it('refreshes a token the relay says is expiring, over the open socket', async () => {
    const shortLived = await signOperatorToken(SECRET, { sub: 'carol', members: '*', ttlSeconds: 3 });
    const renewed = await signOperatorToken(SECRET, { sub: 'carol', members: '*', ttlSeconds: 3600 });
    let current = shortLived;
    const vault: TokenVault = { get: async () => current, set: async () => undefined };
    const { runtime, statuses } = await openStation(vault);
    // Once connected with the short-lived token, a renewed one is what the vault holds (as after a re-login).
    runtime.station.onStatus((s) => {
      if (s.state === 'connected') current = renewed;
    });
    try {
      runtime.station.start();
      const refreshed = await until(() => statuses.find((s) => s.code === 'token_refreshed'));
      expect(refreshed.state).toBe('connected');
      expect(refreshed.tokenExpiresAt).toBeGreaterThan(Date.now() + 3_000_000);
      expect(statuses.some((s) => s.state === 'token_expiring')).toBe(true);
      // Past the first token's expiry the connection is still the same one: no 4001, no reconnect.
      await new Promise((r) => setTimeout(r, 3_500));
      expect(statuses.some((s) => s.code === 'token_expired')).toBe(false);
      expect((await runtime.station.getStatus()).state).toBe('connected');
    } finally {
      await runtime.close();
    }
  }, 20_000);

  it('ends unauthorized (token_expired) when no fresh token comes before expiry', async () => {
    const shortLived = await signOperatorToken(SECRET, { sub: 'dave', members: '*', ttlSeconds: 2 });
    const { runtime, statuses } = await openStation(shortLived);
    try {
      runtime.station.start();
      await until(() => statuses.find((s) => s.state === 'token_expiring'));
      const unauthorized = await until(() => statuses.find((s) => s.state === 'unauthorized'), 15_000);
      expect(unauthorized.code).toBe('token_expired');
      expect(statuses.some((s) => s.code === 'token_expired' && s.state === 'reconnecting')).toBe(true);
    } finally {
      await runtime.close();
    }
  }, 20_000);
});

describe('station process killed with SIGKILL during heavy writes', () => {
  it('reopens cleanly with every committed fix', async () => {
    const dataDir = tempDir();
    const uids = Array.from({ length: 20 }, (_, i) => String(1000 + i));
    const token = await signOperatorToken(SECRET, { sub: 'bob', members: '*', ttlSeconds: 3600 });
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'test-support/station-child.ts'),
        dataDir,
        relay.wsUrl,
        token,
        uids.join(','),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let committed = 0;
    let connected = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (line.startsWith('committed ')) committed = Number(line.slice(10));
        if (line === 'status connected') connected = true;
      }
    });
    await until(() => connected, 20_000);
    await new Promise((r) => setTimeout(r, 300)); // let the watches land

    // Publish continuously (pipelined bursts) and kill the station in the middle of it.
    let publishing = true;
    const pump = (async () => {
      let n = 0;
      while (publishing) {
        const pipeline = publisher.pipeline();
        for (let i = 0; i < 200; i++, n++) {
          pipeline.publish(
            'location_update',
            JSON.stringify({
              uid: uids[n % uids.length],
              longitude: String(113 + n * 1e-6),
              latitude: '23.1',
              ts: 1_790_000_000_000 + n,
            }),
          );
        }
        await pipeline.exec();
        await new Promise((r) => setImmediate(r));
      }
    })();
    await until(() => committed > 2_000, 30_000);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    publishing = false;
    await pump;
    const committedAtKill = committed;

    const store = openTrackStore({ dir: dataDir, logger: silent, integrityCheck: 'full' });
    try {
      expect(store.status().problem).toBeUndefined();
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const total = uids.reduce((sum, uid) => sum + store.countRange(uid, 0, Number.MAX_SAFE_INTEGER), 0);
      expect(total).toBeGreaterThanOrEqual(committedAtKill);
    } finally {
      await store.close();
    }
  }, 90_000);
});
