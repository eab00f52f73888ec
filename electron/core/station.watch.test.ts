/**
 * Watching through the station API tells the truth: against a real relay (in-process, private redis-server), a
 * member the relay refuses is reported refused and not kept, and a bulk add of 5,000 members is answered member by
 * member without the relay ever disconnecting the station.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signOperatorToken } from '../../relay/auth/tokens.js';
import { startRelay, type RunningRelay } from '../../relay/app.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import { until } from '../../test/support/wait.js';
import { StationError } from '../../contract/errors.js';
import type { StationStatus } from '../../contract/station-api.js';
import { memoryVault, openStationRuntime, type StationRuntime } from './runtime.js';
import { trackExporter } from './station/exporter.js';

const SECRET = 'station-watch-secret-0123456789';
const MAX_WATCHED = 5_000;
const silent = pino({ level: 'silent' });
let redis: PrivateRedis;
let relay: RunningRelay;
let dir: string;
let runtime: StationRuntime;
const statuses: StationStatus[] = [];

beforeAll(async () => {
  redis = await startPrivateRedis();
  relay = await startRelay({
    secret: SECRET,
    redisUrl: redis.url,
    port: 0,
    host: '127.0.0.1',
    logger: silent,
    // Relay and station share this process's event loop here (and a shared 2-core machine), so the relay's 5,000
    // catch-up reads also stall the station's timers for seconds: the relay's default heartbeat (15 s), not the
    // 500 ms of other tests, whose 1.25 s deadline would end the connection over that stall.
    heartbeatMs: 15_000,
    positioning: true,
    maxWatched: MAX_WATCHED,
  });
  dir = mkdtempSync(join(tmpdir(), 'lodestar-watch-'));
  const token = await signOperatorToken(SECRET, { sub: 'dispatch', members: '*', ttlSeconds: 3600 });
  runtime = openStationRuntime({
    dataDir: dir,
    relayUrl: relay.wsUrl,
    vault: memoryVault(token),
    exporter: trackExporter,
    logger: silent,
    backoff: { baseMs: 50, maxMs: 300 },
  });
  runtime.station.onStatus((s) => statuses.push(s));
  runtime.station.start();
  await until(() => statuses.find((s) => s.state === 'connected'), { what: 'connected' });
});

afterAll(async () => {
  await runtime.close();
  await relay.close({ drainMs: 0 }).catch(() => undefined);
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('watch through the station API', () => {
  it('adds 5,000 members in one call, each answered by the relay, without being disconnected', async () => {
    const uids = Array.from({ length: MAX_WATCHED - 1 }, (_, i) => String(200_000 + i));
    const started = Date.now();
    const outcomes = await runtime.station.watchMany(uids);
    console.info(`watchMany of ${uids.length} members answered in ${Date.now() - started} ms`);
    expect(outcomes.map((o) => o.uid)).toEqual(uids);
    const notWatched = outcomes.filter((o) => o.result !== 'watched');
    expect(notWatched).toEqual([]);
    expect(runtime.station.relay.counters.reconnects).toBe(0);
    expect((await runtime.station.listWatched()).length).toBe(uids.length);
    // The last free place, then one past the relay's limit: refused, and not kept.
    await runtime.station.watch('7');
    const refused = await runtime.station.watch('8').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StationError);
    expect((refused as StationError).code).toBe('watch_refused');
    expect((refused as StationError).message).toMatch(/too_many_members/);
    expect((await runtime.station.listWatched()).some((m) => m.uid === '8')).toBe(false);
  });

  it('reports each refused member of a bulk add and keeps the others', async () => {
    await runtime.station.unwatch('7'); // resolves on the relay's confirmation: its place is free at once
    const outcomes = await runtime.station.watchMany(['9', '10']);
    expect(outcomes).toEqual([
      { uid: '9', result: 'watched' },
      expect.objectContaining({ uid: '10', result: 'refused', code: 'too_many_members' }),
    ]);
    const watched = new Set((await runtime.station.listWatched()).map((m) => m.uid));
    expect([watched.has('9'), watched.has('10')]).toEqual([true, false]);
    expect(runtime.station.relay.counters.reconnects).toBe(0);
    expect(statuses.at(-1)?.state).toBe('connected');
  });
});
