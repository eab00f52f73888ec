/**
 * The relay under trouble: Redis going away and coming back, a station that stops reading, a dead station.
 */
import { createConnection, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from './app.js';
import { DEFAULT_RELAY_CONFIG } from './config.js';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import { connectStation, operatorToken, startTestRelay } from '../test/support/relay.js';
import { settled } from '../test/support/wait.js';

let redis: PrivateRedis;
let relay: RunningRelay;
/**
 * The same relay with positioning off, on its own channel: the stalled-station test floods far past what
 * positioning takes per second.
 */
let fanoutOnly: RunningRelay;

const SOFT = 64 * 1024;
const HARD = 512 * 1024;

beforeAll(async () => {
  redis = await startPrivateRedis();
  relay = await startTestRelay({
    redisUrl: redis.url,
    // Long heartbeats here: a stalled station would otherwise be cut off by missed pongs before backpressure acts.
    heartbeatMs: 60_000,
    softBufferBytes: SOFT,
    hardBufferBytes: HARD,
    slowTimeoutMs: 1500,
  });
  fanoutOnly = await startTestRelay({
    redisUrl: redis.url,
    heartbeatMs: 60_000,
    softBufferBytes: SOFT,
    hardBufferBytes: HARD,
    slowTimeoutMs: 1500,
    positioning: false,
    // Its own channel: the positioning relay in this same process must not take the flood too.
    channel: 'stall_test',
  });
});
afterAll(async () => {
  await fanoutOnly.close({ drainMs: 0 });
  await relay.close({ drainMs: 0 });
  await redis.stop();
});

setFlagsFromString('--expose-gc');
/** A full GC, so heap figures compare live data rather than garbage not yet collected. */
const collectGarbage = runInNewContext('gc') as () => void;

async function metric(name: string): Promise<number> {
  const values = (await relay.registry.getSingleMetric(name)?.get())?.values ?? [];
  return values.reduce((sum, v) => sum + v.value, 0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(25);
  }
}

describe('Redis stopped and restarted mid-stream', () => {
  it('reports degraded, answers /readyz 503, then resumes delivery without a restart', async () => {
    const station = await connectStation(relay.wsUrl, await operatorToken('*'));
    station.send({ type: 'watch', members: [{ uid: '7' }] });
    await station.next('watched');
    let publisher = new Redis(redis.url);
    let seq = 0;
    let publishing = true;
    // A steady stream, as the customer's backend would publish it, through the outage.
    const stream = (async () => {
      while (publishing) {
        seq++;
        await publisher
          .publish('location_update', JSON.stringify({ uid: 7, longitude: seq % 180, latitude: 1 }))
          .catch(() => undefined);
        await sleep(10);
      }
    })();
    await station.next('fix');

    publisher.disconnect();
    await redis.stop();
    expect(await station.next('status', (m) => m.degraded)).toMatchObject({ degraded: true });
    expect((await fetch(`${relay.httpUrl}/readyz`)).status).toBe(503);
    expect((await fetch(`${relay.httpUrl}/healthz`)).status).toBe(200);

    await redis.start();
    publisher = new Redis(redis.url);
    await station.next('status', (m) => !m.degraded, 10_000);
    const fixesBefore = station.all('fix').length;
    await until(() => station.all('fix').length > fixesBefore + 5);
    await until(async () => (await fetch(`${relay.httpUrl}/readyz`)).status === 200);
    publishing = false;
    await stream;
    publisher.disconnect();
    const metrics = await (await fetch(`${relay.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/lodestar_relay_redis_reconnects_total\{connection="subscriber"\} [1-9]/);
    await station.close();
  });
});

describe('Redis unreachable at start', () => {
  it('starts degraded, welcomes stations with degraded: true, and recovers when Redis appears', async () => {
    const late = await startPrivateRedis();
    await late.stop();
    const r = await startTestRelay({ redisUrl: late.url });
    try {
      expect((await fetch(`${r.httpUrl}/readyz`)).status).toBe(503);
      const s = await connectStation(r.wsUrl, await operatorToken('*'));
      expect(s.received[0]).toMatchObject({ type: 'welcome', degraded: true });
      s.send({ type: 'watch', members: [{ uid: '9' }] });
      expect(await s.next('watched')).toMatchObject({ uid: '9', latest: null });
      await late.start();
      await s.next('status', (m) => !m.degraded, 10_000);
      const publisher = new Redis(late.url);
      // The subscription is restored right after "ready"; publish until the relay has it.
      await until(async () => {
        await publisher.publish('location_update', JSON.stringify({ uid: 9, longitude: 1, latitude: 2 }));
        return s.all('fix').length > 0;
      });
      publisher.disconnect();
      await s.close();
    } finally {
      await r.close({ drainMs: 0 });
      await late.stop();
    }
  });
});

/**
 * Watch `uids` on a station, publish `fixes` of each member round by round (each round taken before the next: a
 * burst would be coalesced for the station, its soft limit), and give each member's first position: a station
 * coming back with it as `since` has `fixes - 1` of each member to replay.
 */
async function positionsAfter(
  uids: readonly string[],
  fixes: number,
): Promise<Map<string, { epoch: string; offset: number }>> {
  const first = await connectStation(relay.wsUrl, await operatorToken('*'));
  first.send({ type: 'watch', members: uids.map((uid) => ({ uid })) });
  await until(() => first.all('watched').length === uids.length);
  const publisher = new Redis(redis.url);
  for (let k = 0; k < fixes; k++) {
    const pipeline = publisher.pipeline();
    for (const uid of uids)
      pipeline.publish(
        'location_update',
        JSON.stringify({ uid: Number(uid), longitude: 113 + k / 1e3, latitude: 23 }),
      );
    await pipeline.exec();
    await until(() => first.all('fix').length === (k + 1) * uids.length);
  }
  publisher.disconnect();
  const since = new Map<string, { epoch: string; offset: number }>();
  for (const { fix } of first.all('fix')) {
    if (!since.has(fix.uid)) since.set(fix.uid, { epoch: fix.epoch!, offset: fix.offset! });
  }
  await first.close();
  return since;
}

describe('a catch-up of many members at once', () => {
  it('paces their replays together, within the backlog limit, rather than closing the station', async () => {
    const MEMBERS = 400;
    const FIXES = 12;
    const uids = Array.from({ length: MEMBERS }, (_, i) => String(90_000 + i));
    const since = await positionsAfter(uids, FIXES);

    // A station back from a stall: every member missed a few fixes. Each member's replay is short, together they
    // are ~800 KB, past the relay's 512 KiB hard backlog limit if written at once.
    const back = await connectStation(relay.wsUrl, await operatorToken('*'));
    const waitedBefore = await metric('lodestar_relay_catchups_waited_total');
    back.send({ type: 'watch', members: uids.map((uid) => ({ uid, since: since.get(uid) })) });
    await until(() => back.all('replay_done').length === MEMBERS, 20_000);
    expect(back.all('fix').filter((m) => m.replay)).toHaveLength(MEMBERS * (FIXES - 1));
    expect(back.ws.readyState).toBe(back.ws.OPEN);
    // Not 400 replays held at once: RELAY_CATCHUP_CONCURRENCY ran, the others waited their turn.
    const concurrency = DEFAULT_RELAY_CONFIG.catchupConcurrency;
    expect((await metric('lodestar_relay_catchups_waited_total')) - waitedBefore).toBe(MEMBERS - concurrency);
    await until(async () => (await metric('lodestar_relay_catchups_running')) === 0);
    expect(await metric('lodestar_relay_catchups_queued')).toBe(0);
    await back.close();
  }, 30_000);
});

describe('the same catch-up watch sent again and again', () => {
  it('runs one catch-up per member at a time, and answers every request', async () => {
    const MEMBERS = 50;
    const FIXES = 12;
    const REPEATS = 10;
    const uids = Array.from({ length: MEMBERS }, (_, i) => String(95_000 + i));
    const since = await positionsAfter(uids, FIXES);

    // A station asks for the same 11-fix replays of 50 members ten times in one write: the relay must not read
    // and hold them ten times over (each repeat would cost it members x replayMax fixes of memory).
    const back = await connectStation(relay.wsUrl, await operatorToken('*'));
    const socket = (back.ws as unknown as { _socket: Socket })._socket;
    socket.cork();
    for (let r = 0; r < REPEATS; r++)
      back.send({ type: 'watch', id: `w${r}`, members: uids.map((uid) => ({ uid, since: since.get(uid) })) });
    socket.uncork();
    // Every request is answered for every member.
    await until(() => back.all('watched').length === MEMBERS * REPEATS, 20_000);
    await until(() => back.all('replay_done').length >= MEMBERS, 20_000);
    await settled(() => back.received.length);
    const replayed = back.all('fix').filter((m) => m.replay).length;
    // One catch-up running and at most one more after it per member, not ten.
    expect(replayed).toBeGreaterThanOrEqual(MEMBERS * (FIXES - 1));
    expect(replayed).toBeLessThanOrEqual(2 * MEMBERS * (FIXES - 1));
    expect(back.all('error')).toEqual([]);
    await back.close();
  }, 30_000);
});

/** A websocket client on a raw TCP socket that completes the upgrade and then never reads again. */
async function stalledStation(url: string, token: string): Promise<Socket> {
  const { port } = new URL(url);
  const socket = createConnection({ host: '127.0.0.1', port: Number(port) });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(
    `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n` +
      `Authorization: Bearer ${token}\r\n\r\n`,
  );
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  return socket;
}

/** A masked client text frame (RFC 6455 5.3). */
function clientFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = Buffer.from([1, 2, 3, 4]);
  const header =
    payload.length < 126
      ? Buffer.from([0x81, 0x80 | payload.length])
      : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] as number)));
  return Buffer.concat([header, mask, masked]);
}

describe('a station that stops reading', () => {
  // 300,000 raw fixes as fast as Redis takes them: this is about the station side, so positioning (which takes
  // ~10-20k fixes/s, docs/benchmarks.md) is off; with it on, the excess waits in the raw consumer instead.
  it('keeps relay memory bounded by coalescing, then is closed with 4008', async () => {
    const socket = await stalledStation(fanoutOnly.wsUrl, await operatorToken('*'));
    const members = Array.from({ length: 200 }, (_, i) => ({ uid: String(1000 + i) }));
    socket.write(clientFrame(JSON.stringify({ type: 'watch', members })));
    socket.pause(); // stop reading: the kernel buffers fill, then the relay's
    await until(() => fanoutOnly.stats().watches >= 200);

    const closedSlow = async () =>
      /closes_total\{code="4008"\} 1/.test(await (await fetch(`${fanoutOnly.httpUrl}/metrics`)).text());
    const publisher = new Redis(redis.url);
    const pad = 'x'.repeat(60); // ignored by the relay; makes each raw message bigger, not the fix frames
    let maxBacklog = 0;
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let round = 0; round < 300; round++) {
      const p = publisher.pipeline();
      for (let i = 0; i < 1000; i++) {
        p.publish(
          'stall_test',
          JSON.stringify({ uid: 1000 + (i % 200), longitude: (round + i / 1000) % 180, latitude: 1, pad }),
        );
      }
      await p.exec();
      maxBacklog = Math.max(maxBacklog, fanoutOnly.stats().backlogBytes);
      // Keep publishing, as a live backend would, until the relay gives up on the station.
      if (round % 5 === 4 && (await closedSlow())) break;
    }
    // Far more fixes were published than the station read (the kernel's buffers took a few MB): the relay held at
    // most the hard limit, in practice the soft limit plus one outbox of 200 members.
    expect(maxBacklog).toBeLessThanOrEqual(HARD + 200 * 200);
    expect(fanoutOnly.stats().coalesced).toBeGreaterThan(0);
    collectGarbage();
    // The publisher's pipelines and the relay share this heap; the point is that nothing grows with the backlog.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(16 * 1024 * 1024);

    // Still not reading after slowTimeoutMs, the relay gives up on it (the publishing above may end sooner than that
    // when the relay keeps up, so wait for it). Resume reading (within the relay's 5 s close grace): everything
    // buffered, then a close frame with 4008.
    await until(closedSlow, 5000);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.resume();
    // Megabytes arrive: look only at the tail for the close frame, then parse everything once.
    await until(() => closeFrameAtEnd(chunks), 20_000);
    expect(findCloseCode(Buffer.concat(chunks))).toBe(4008);
    socket.destroy();
    publisher.disconnect();
    await until(() => fanoutOnly.stats().connections === 0);
  });
});

/** Whether the bytes received so far end with a complete (short) close frame. */
function closeFrameAtEnd(chunks: Buffer[]): boolean {
  const tail = Buffer.concat(chunks.slice(-2));
  for (let i = Math.max(0, tail.length - 130); i < tail.length - 1; i++) {
    if (tail[i] === 0x88 && i + 2 + ((tail[i + 1] as number) & 0x7f) === tail.length) return true;
  }
  return false;
}

/** Scan server frames (unmasked) for a close frame and return its code. */
function findCloseCode(data: Buffer): number | undefined {
  let i = 0;
  while (i + 2 <= data.length) {
    const opcode = (data[i] as number) & 0x0f;
    let len = (data[i + 1] as number) & 0x7f;
    let offset = i + 2;
    if (len === 126) {
      len = data.readUInt16BE(offset);
      offset += 2;
    } else if (len === 127) {
      len = Number(data.readBigUInt64BE(offset));
      offset += 8;
    }
    if (opcode === 0x8) return data.readUInt16BE(offset);
    i = offset + len;
  }
  return undefined;
}

describe('heartbeats', () => {
  let fast: RunningRelay;
  beforeAll(async () => {
    fast = await startTestRelay({ redisUrl: redis.url, heartbeatMs: 300 });
  });
  afterAll(() => fast.close({ drainMs: 0 }));

  it('sends app-level heartbeats and ws pings', async () => {
    const s = await connectStation(fast.wsUrl, await operatorToken('*'));
    let pings = 0;
    s.ws.on('ping', () => pings++);
    await s.next('heartbeat', undefined, 2000);
    await until(() => pings > 0, 2000);
    await s.close();
  });

  it('terminates a station that stops answering pings', async () => {
    const socket = await stalledStation(fast.wsUrl, await operatorToken('*'));
    socket.pause(); // never answers the relay's pings
    await until(() => fast.stats().connections >= 1);
    const started = Date.now();
    await new Promise<void>((resolve) => socket.once('close', () => resolve()).resume());
    await until(() => fast.stats().connections === 0, 1000);
    // Missed one ping interval, terminated at the next: between one and two intervals (plus scheduling slack).
    expect(Date.now() - started).toBeLessThan(1500);
  }, 5000);

  it('keeps a station whose pong waits unread while the relay’s own event loop is busy', async () => {
    const s = await connectStation(fast.wsUrl, await operatorToken('*'));
    // ws answers the ping before this listener runs: the pong is on its way, and the relay (this process) is made
    // busy before it can read it, for several intervals. Its late tick must not take the unread pong for silence.
    let stalls = 0;
    s.ws.on('ping', () => {
      if (stalls++ < 3) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    });
    await until(() => stalls >= 4, 10_000);
    expect(s.ws.readyState).toBe(s.ws.OPEN);
    await s.close();
  }, 15_000);

  it('still terminates a silent station while every tick of the relay comes late', async () => {
    const socket = await stalledStation(fast.wsUrl, await operatorToken('*'));
    socket.pause(); // a raw socket: never answers the relay's pings
    await until(() => fast.stats().connections >= 1);
    // The relay (this process) is busy 700 ms at a time, sockets read between: every 300 ms tick comes late.
    let hog = true;
    const block = (): void => {
      if (!hog) return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 700);
      setImmediate(block);
    };
    setImmediate(block);
    try {
      await until(() => fast.stats().connections === 0, 8000);
    } finally {
      hog = false;
    }
    socket.destroy();
  }, 15_000);
});
