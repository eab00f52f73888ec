/**
 * No fix that reached a relay is lost to a Redis restart. A relay process on a private redis-server (without and
 * with an append-only file), 200 raw fixes/s published, Redis SIGKILLed and restarted twice; after each restart the
 * relay's command connection is cut for a while, so its subscriber is back before it (the case where raw messages
 * used to fail `position_failed` and vanish). Every fix whose PUBLISH reached the relay's subscriber (PUBLISH
 * answered 1: the relay is the only subscriber) must reach the watching station exactly once.
 *
 * What a bounded backlog gives up never got an offset: it is counted in /metrics and stations are told with a
 * `status` naming the members and counts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../protocol/messages.js';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import {
  connectStation,
  operatorToken,
  spawnRelay,
  type SpawnedRelay,
  type TestStation,
} from '../test/support/relay.js';

const UIDS = ['901', '902', '903', '904'];
const RATE_PER_SECOND = 200;

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A connection to the private Redis that survives its restarts (reconnects fast, never queues). */
function control(url: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 20,
    connectionName: 'test-control',
  });
  redis.on('error', () => undefined);
  return redis;
}

async function relaySubscribed(redis: Redis): Promise<boolean> {
  try {
    return ((await redis.call('PUBSUB', 'NUMSUB', 'location_update')) as [string, number])[1] === 1;
  } catch {
    return false;
  }
}

/** Publish RATE_PER_SECOND raw fixes/s; remember the `uid:ts` of those whose PUBLISH reached a subscriber. */
function publishSteadily(redis: Redis) {
  const reached = new Set<string>();
  let sent = 0;
  let seq = 0;
  const base = Date.now();
  const pending = new Set<Promise<unknown>>();
  const timer = setInterval(() => {
    for (let i = 0; i < RATE_PER_SECOND / 50; i++) {
      const uid = UIDS[seq % UIDS.length] as string;
      const ts = base + seq++;
      sent++;
      const message = JSON.stringify({ uid: Number(uid), longitude: '113.3', latitude: '23.1', ts });
      const p = redis
        .publish('location_update', message)
        .then((receivers) => {
          if (receivers > 0) reached.add(`${uid}:${ts}`);
        })
        .catch(() => undefined)
        .finally(() => pending.delete(p));
      pending.add(p);
    }
  }, 20);
  return {
    reached,
    sent: () => sent,
    async stop() {
      clearInterval(timer);
      await Promise.all([...pending]);
    },
  };
}

/**
 * Cut the relay's command connection (named lodestar-relay, not in pub/sub mode) again and again for `ms`. The
 * subscriber is never cut: it may subscribe between the LIST and the KILL (it reconnects with the same name), and
 * Redis would then drop a message it already counted in a PUBLISH reply, a loss the test would blame on the relay.
 * `TYPE normal` makes Redis check that at the KILL itself.
 */
async function holdCommandConnectionDown(redis: Redis, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const list = (await redis.client('LIST')) as string;
      for (const line of list.split('\n')) {
        if (!line.includes('name=lodestar-relay') || /flags=\S*P/.test(line)) continue;
        const id = /id=(\d+)/.exec(line)?.[1];
        if (id) await redis.client('KILL', 'ID', id, 'TYPE', 'normal').catch(() => undefined);
      }
    } catch {
      // Redis is still starting.
    }
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** Every fix frame a station received, as `uid:ts`, with how often each came. */
function receivedFixes(station: TestStation): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of station.received) {
    if (m.type !== 'fix') continue;
    const key = `${m.fix.uid}:${m.fix.ts}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

interface Setup {
  redis: PrivateRedis;
  relay: SpawnedRelay;
  control: Redis;
  station: TestStation;
}

async function setUp(aof: boolean, relayEnv: Record<string, string> = {}): Promise<Setup> {
  const dir = aof ? mkdtempSync(join(tmpdir(), 'lodestar-aof-')) : undefined;
  const redis = await startPrivateRedis(dir ? { aofDir: dir } : {});
  cleanups.push(async () => {
    await redis.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const relay = await spawnRelay({ REDIS_URL: redis.url, RELAY_DRAIN_MS: '0', ...relayEnv });
  cleanups.push(() => void relay.child.kill('SIGKILL'));
  const redisControl = control(redis.url);
  cleanups.push(() => redisControl.disconnect());
  await until(() => relaySubscribed(redisControl));
  const station = await connectStation(relay.wsUrl, await operatorToken('*'));
  cleanups.push(() => station.close());
  station.send({ type: 'watch', id: 'w', members: UIDS.map((uid) => ({ uid })) });
  for (const uid of UIDS) await station.next('watched', (m) => m.uid === uid);
  return { redis, relay, control: redisControl, station };
}

async function restartTwice({ redis, control: redisControl }: Setup): Promise<void> {
  for (let round = 0; round < 2; round++) {
    await new Promise((r) => setTimeout(r, 1000));
    await redis.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    await redis.start();
    // The subscriber is back (it reconnects by itself) while the command connection is kept away.
    const cut = holdCommandConnectionDown(redisControl, 1500);
    await until(() => relaySubscribed(redisControl));
    await cut;
  }
  await new Promise((r) => setTimeout(r, 1000));
}

describe.each([
  ['without persistence', false],
  ['with an append-only file (appendfsync everysec)', true],
])('Redis restarted twice under 200 fixes/s, %s', (_name, aof) => {
  it('delivers every fix that reached the relay’s subscriber to the station exactly once', async () => {
    const setup = await setUp(aof);
    const publisher = control(setup.redis.url);
    cleanups.push(() => publisher.disconnect());
    const traffic = publishSteadily(publisher);
    await restartTwice(setup);
    // Enough fixes for the figure to mean something: on a loaded machine the 20 ms timer runs late, so wait for
    // the count rather than trusting the restarts' few seconds to have carried it.
    await until(() => traffic.reached.size > RATE_PER_SECOND * 3, 60_000);
    await traffic.stop();

    const missing = () => [...traffic.reached].filter((key) => !receivedFixes(setup.station).has(key));
    // Catch-up after the second restart can take a while when the whole suite shares the machine.
    await until(() => missing().length === 0, 50_000).catch(() => undefined);
    const received = receivedFixes(setup.station);
    const repeated = [...received].filter(([, n]) => n > 1).map(([key]) => key);
    // The figures for docs: how many reached the relay, and how many of those the station never got.
    console.log(
      `${aof ? 'AOF' : 'no persistence'}: published ${traffic.sent()}, reached the relay ${traffic.reached.size}, ` +
        `lost ${missing().length}, repeated ${repeated.length}`,
    );
    expect(traffic.reached.size).toBeGreaterThan(RATE_PER_SECOND * 3);
    expect(missing()).toEqual([]);
    expect(repeated).toEqual([]);
  }, 90_000);
});

describe('past the backlog bound', () => {
  it('counts what it gives up in /metrics and tells the station which members lost how many', async () => {
    const setup = await setUp(false, { RELAY_POSITION_BACKLOG_MAX: '10' });
    const publisher = control(setup.redis.url);
    cleanups.push(() => publisher.disconnect());
    const traffic = publishSteadily(publisher);
    await holdCommandConnectionDown(setup.control, 1500);
    await traffic.stop();

    const told = await setup.station.next('status', (m) => m.lost !== undefined, 10_000);
    const lost = (told as Extract<ServerMessage, { type: 'status' }>).lost ?? [];
    expect(lost.map((l) => l.uid).sort()).toEqual(UIDS);
    const announced = () =>
      setup.station
        .all('status')
        .flatMap((m) => m.lost ?? [])
        .reduce((sum, l) => sum + l.count, 0);
    const dropped = async () => {
      const text = await (await fetch(`${setup.relay.httpUrl}/metrics`)).text();
      const line = /lodestar_relay_fixes_dropped_total\{reason="position_backlog_full"\} (\d+)/.exec(text);
      return Number(line?.[1] ?? 0);
    };
    await until(async () => announced() === (await dropped()) && announced() > 0);
    // Nothing the station was not told about is missing: every reached fix arrived or was announced lost.
    await until(() => {
      const received = receivedFixes(setup.station);
      const missing = [...traffic.reached].filter((key) => !received.has(key)).length;
      return missing === announced();
    });
  }, 60_000);
});
