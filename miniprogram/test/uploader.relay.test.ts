/**
 * The uploader end to end: the wx emulation's requests go over real HTTP to a real relay (real Redis), and a real
 * station watching the member over a websocket must receive every fix once, in order. Time is a ManualClock, so
 * ten minutes of walking without network take a moment; the network round trips are real.
 */
import { createServer } from 'node:http';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestHandler } from '../../relay/ingest/index';
import { DEFAULT_RELAY_CONFIG } from '../../relay/config';
import type { Fix } from '../../protocol/fix';
import type { RunningRelay } from '../../relay/app';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server';
import {
  TEST_SECRET,
  connectStation,
  memberToken,
  operatorToken,
  startTestRelay,
  type TestStation,
} from '../../test/support/relay';
import { saveConfig, saveMemberToken } from '../lib/config';
import type { Lodestar, SetupOptions } from '../lib/setup';
import { setupLodestar } from '../lib/setup';
import { ManualClock } from './manual-clock';
import { WxEmulation } from './wx-emulation';

const MEMBERS = ['201', '202', '203', '204', '205', '206', '207'];
let redis: PrivateRedis;
let relay: RunningRelay;
let station: TestStation;

beforeAll(async () => {
  redis = await startPrivateRedis();
  relay = await startTestRelay({ redisUrl: redis.url });
  station = await connectStation(relay.wsUrl, await operatorToken(MEMBERS));
  station.send({ type: 'watch', members: MEMBERS.map((uid) => ({ uid })) });
  await station.next('watched');
});

afterAll(async () => {
  await station?.close();
  await relay?.close({ drainMs: 0 });
  await redis?.stop();
});

/** A deterministic random source, so backoff delays are reproducible. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

interface Phone {
  emu: WxEmulation;
  clock: ManualClock;
  app: Lodestar;
  /** Positions emitted so far, in order. */
  walked: { latitude: number; longitude: number }[];
  /** Walk `seconds` one fix per second, about 17 m apart (more than the 10 m accuracy: none is skipped). */
  walk(seconds: number): Promise<void>;
  /** Advance time until nothing waits or `maxSeconds` passed. */
  drain(maxSeconds?: number): Promise<void>;
}

async function phone(
  uid: string,
  options: SetupOptions = {},
  emu = new WxEmulation(),
  start = { clock: Date.now(), step: 0 },
): Promise<Phone> {
  emu.authSetting = { 'scope.userLocationBackground': true };
  if (!emu.storage.has('lodestar.config')) {
    saveConfig(emu, { apiBase: relay.httpUrl });
    saveMemberToken(emu, await memberToken(uid));
  }
  const clock = new ManualClock(start.clock, () => emu.idle());
  const app = setupLodestar(emu, {
    clock,
    batchSize: 50,
    batchIntervalMs: 5000,
    random: seeded(Number(uid)),
    ...options,
  });
  await app.sharing.start();
  let step = start.step;
  const p: Phone = {
    emu,
    clock,
    app,
    walked: [],
    async walk(seconds) {
      for (let i = 0; i < seconds; i++) {
        const position = { latitude: 23.1 + ++step * 0.00015, longitude: 113.3 };
        p.walked.push(position);
        emu.emitLocation(position);
        await clock.advance(1000);
      }
    },
    async drain(maxSeconds = 600) {
      for (let i = 0; i < maxSeconds && app.uploader.status().waiting > 0; i++) await clock.advance(1000);
      await emu.idle();
    },
  };
  return p;
}

/** The member's fixes at the station, once the fix with `lastCid` has arrived. */
async function atStation(uid: string, lastCid: string): Promise<Fix[]> {
  await station.next('fix', (m) => m.fix.cid === lastCid, 10_000);
  return station
    .all('fix')
    .map((m) => m.fix)
    .filter((f) => f.uid === uid);
}

function expectOnceInOrder(fixes: Fix[], walked: { latitude: number }[]): void {
  const cids = fixes.map((f) => f.cid);
  expect(new Set(cids).size).toBe(cids.length);
  expect(fixes.map((f) => f.lat)).toEqual(walked.map((w) => w.latitude));
  for (let i = 1; i < fixes.length; i++)
    expect((fixes[i] as Fix).ts).toBeGreaterThan((fixes[i - 1] as Fix).ts);
}

const lastQueuedCid = (emu: WxEmulation): string => {
  const body = emu.requests.filter((r) => r.status === 200).at(-1)?.body ?? '{"fixes":[]}';
  const fixes = (JSON.parse(body) as { fixes: { cid: string }[] }).fixes;
  return fixes.at(-1)?.cid ?? '';
};

describe('uploader against a real relay', () => {
  it('network lost for 10 minutes then back: every fix arrives once, in order', async () => {
    const p = await phone('201');
    await p.walk(60);
    expect(p.app.uploader.status().waiting).toBeLessThan(50);
    p.emu.setNetwork(false);
    await p.walk(600);
    expect(p.app.uploader.status()).toMatchObject({ state: 'offline', dropped: 0 });
    expect(p.app.uploader.status().waiting).toBeGreaterThanOrEqual(600);
    const requestsWhileOffline = p.emu.requests.length;
    p.emu.setNetwork(true);
    await p.walk(10);
    await p.drain();
    expect(p.app.uploader.status()).toMatchObject({ waiting: 0, dropped: 0, state: 'idle' });
    const fixes = await atStation('201', lastQueuedCid(p.emu));
    expect(fixes).toHaveLength(670);
    expectOnceInOrder(fixes, p.walked);
    // The backlog went out in full batches, not one request per fix.
    expect(p.emu.requests.length - requestsWhileOffline).toBeLessThanOrEqual(670 / 50 + 3);
    p.app.uploader.dispose();
  });

  it('answers lost on the way back: the retried batches are stored once', async () => {
    const p = await phone('202');
    p.emu.loseAnswers = 3;
    await p.walk(120);
    await p.drain();
    expect(p.emu.loseAnswers).toBe(0);
    const fixes = await atStation('202', lastQueuedCid(p.emu));
    expect(fixes).toHaveLength(120);
    expectOnceInOrder(fixes, p.walked);
    p.app.uploader.dispose();
  });

  it('app restarted with a queue in storage: the queued fixes are sent on launch, new ids do not collide', async () => {
    const first = await phone('203');
    first.emu.setNetwork(false);
    await first.walk(40);
    expect(first.app.uploader.status().waiting).toBe(40);
    first.app.uploader.dispose(); // the app is killed

    const restarted = WxEmulation.withStorage(first.emu.storage);
    const second = await phone('203', {}, restarted, { clock: first.clock.now() + 60_000, step: 40 });
    await second.walk(20);
    await second.drain();
    const fixes = await atStation('203', lastQueuedCid(restarted));
    expectOnceInOrder(fixes, [...first.walked, ...second.walked]);
    second.app.uploader.dispose();
  });

  it('queue bound reached: the oldest are dropped and counted, the newest arrive in order', async () => {
    const p = await phone('204', { queue: { maxItems: 100, segmentSize: 25, prefix: 'lodestar.queue.' } });
    p.emu.setNetwork(false);
    await p.walk(250);
    expect(p.app.uploader.status()).toMatchObject({ waiting: 100, dropped: 150 });
    p.emu.setNetwork(true);
    await p.drain();
    const fixes = await atStation('204', lastQueuedCid(p.emu));
    expectOnceInOrder(fixes, p.walked.slice(150));
    expect(p.app.uploader.status().dropped).toBe(150);
    p.app.uploader.dispose();
  });

  it('a member standing still sends one fix, not one a second', async () => {
    const p = await phone('205');
    for (let i = 0; i < 30; i++) {
      p.emu.emitLocation({ latitude: 23.2 + (i % 2) * 0.00002, longitude: 113.3, accuracy: 15 });
      await p.clock.advance(1000);
    }
    await p.drain();
    expect(p.app.uploader.status()).toMatchObject({ skipped: 29, waiting: 0 });
    expect(await atStation('205', lastQueuedCid(p.emu))).toHaveLength(1);
    p.app.uploader.dispose();
  });

  it('a refused token keeps the queue until the host app stores a new one', async () => {
    const emu = new WxEmulation();
    saveConfig(emu, { apiBase: relay.httpUrl, token: await operatorToken(['206']) });
    const p = await phone('206', {}, emu);
    await p.walk(10);
    await p.clock.advance(10_000);
    expect(p.app.uploader.status()).toMatchObject({
      state: 'token_refused',
      waiting: 10,
      lastError: 'token_wrong_role',
    });
    saveMemberToken(emu, await memberToken('206'));
    p.app.uploader.tokenChanged();
    await p.drain();
    const fixes = await atStation('206', lastQueuedCid(emu));
    expectOnceInOrder(fixes, p.walked);
    p.app.uploader.dispose();
  });

  it('a relay with a smaller batch limit (413): batches are split, every fix still arrives once, in order', async () => {
    // A second ingest in front of the same Redis and channel, with a batch limit of 8.
    const client = new Redis(redis.url);
    const server = createServer(
      createIngestHandler({
        redis: client,
        secret: TEST_SECRET,
        channel: DEFAULT_RELAY_CONFIG.channel,
        keyPrefix: 'small:',
        registry: new Registry(),
        logger: pino({ level: 'silent' }),
        maxBatch: 8,
      }),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    const emu = new WxEmulation();
    saveConfig(emu, {
      apiBase: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      token: await memberToken('207'),
    });
    const p = await phone('207', { batchSize: 30 }, emu);
    p.emu.setNetwork(false);
    await p.walk(45);
    p.emu.setNetwork(true);
    await p.drain();
    const fixes = await atStation('207', lastQueuedCid(emu));
    expectOnceInOrder(fixes, p.walked);
    const statuses = emu.requests.map((r) => r.status);
    expect(statuses.filter((s) => s === 413)).toHaveLength(2); // 30 → 15 → 7, then 7 at a time
    p.app.uploader.dispose();
    server.close();
    client.disconnect();
  });
});
