/**
 * The headline feature end to end: a station against a real positioning relay (in-process, private redis-server,
 * real SQLite files), stopped while members keep sending, restarted: every fix the relay holds ends up in SQLite
 * once and in order, whether the relay replays it (a few missed) or the station fetches it from history (more
 * missed than the relay replays at once), and a backfill cut short by a restart resumes where it stopped.
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
import { ARRIVAL_REPLAYED } from '../../contract/track/arrival.js';
import { memoryVault, openStationRuntime, type StationRuntime } from './runtime.js';
import { trackExporter } from './station/exporter.js';

const SECRET = 'station-catchup-secret-0123456789';
const PREFIX = `test:${randomBytes(4).toString('hex')}:`;
/** Small pages, so a 12,000-fix backfill takes enough pages to be cut short on purpose. */
const PAGE = 250;
const silent = pino({ level: 'silent' });
let redis: PrivateRedis;
let publisher: Redis;
let relay: RunningRelay;
let token: string;
const dirs: string[] = [];
let nextTs = Date.now() - 3_600_000;

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lodestar-catchup-'));
  dirs.push(dir);
  return dir;
}

/** What the customer's PHP publishes, with a time so every message is distinct. Returns the times sent. */
async function publish(uid: string, count: number): Promise<number[]> {
  const sent: number[] = [];
  for (let i = 0; i < count; i += 1000) {
    const pipeline = publisher.pipeline();
    for (let j = i; j < Math.min(count, i + 1000); j++) {
      const ts = nextTs++;
      sent.push(ts);
      const body = { uid: Number(uid), longitude: '113.300000', latitude: (23 + j * 1e-6).toFixed(6), ts };
      pipeline.publish('location_update', JSON.stringify(body));
    }
    await pipeline.exec();
  }
  return sent;
}

/** How many fixes the relay has positioned for a member (the length of its stream). */
async function positioned(uid: string): Promise<number> {
  return publisher.xlen(`${PREFIX}{${uid}}:fixes`);
}

/** Connected to a relay that reaches Redis (right after start, its subscription may still be on its way). */
function connected(statuses: StationStatus[]): Promise<StationStatus> {
  return until(() => statuses.find((s) => s.state === 'connected' && s.relayDegraded === false), {
    what: 'connected to a relay that reaches Redis',
  });
}

interface Opened {
  runtime: StationRuntime;
  statuses: StationStatus[];
  /** Fixes delivered to the renderer's listener when each status came (same index as `statuses`). */
  deliveredAt: number[];
}

function open(dataDir: string): Opened {
  const runtime = openStationRuntime({
    dataDir,
    relayUrl: relay.wsUrl,
    vault: memoryVault(token),
    exporter: trackExporter,
    logger: silent,
    backoff: { baseMs: 50, maxMs: 300 },
  });
  const statuses: StationStatus[] = [];
  const deliveredAt: number[] = [];
  let delivered = 0;
  runtime.station.onFixes((fixes) => (delivered += fixes.length));
  runtime.station.onStatus((s) => {
    statuses.push(s);
    deliveredAt.push(delivered);
  });
  runtime.station.start();
  return { runtime, statuses, deliveredAt };
}

/** Every stored fix of a member in time order: its time and relay offset. */
function stored(runtime: StationRuntime, uid: string): { ts: number; off: number }[] {
  return runtime.store.db.prepare('SELECT ts, off FROM fixes WHERE uid = ? ORDER BY ts, off').all(uid) as {
    ts: number;
    off: number;
  }[];
}

function expectOnceInOrder(rows: { ts: number; off: number }[], sent: number[]): void {
  expect(rows.map((r) => r.ts)).toEqual(sent);
  // Offsets 1..n with no gap and no repeat: once each, in the order the relay positioned them.
  expect(rows.map((r) => r.off)).toEqual(sent.map((_, i) => i + 1));
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
    positioning: true,
    keyPrefix: PREFIX,
    historyPageMax: PAGE,
  });
  token = await signOperatorToken(SECRET, { sub: 'dispatch', members: '*', ttlSeconds: 3600 });
});

afterAll(async () => {
  await relay.close({ drainMs: 0 }).catch(() => undefined);
  publisher.disconnect();
  await redis.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('a station stopped while members send, then restarted', () => {
  it('stores every fix once and in order: replayed by the relay when it missed few', async () => {
    const dir = tempDir();
    const first = open(dir);
    await connected(first.statuses);
    const outcomes = await first.runtime.station.watchMany(['1', '2', '3']);
    expect(outcomes.map((o) => o.result)).toEqual(['watched', 'watched', 'watched']);
    const sent = new Map<string, number[]>();
    for (const uid of ['1', '2', '3']) sent.set(uid, await publish(uid, 20));
    await until(() => ['1', '2', '3'].every((uid) => stored(first.runtime, uid).length === 20), {
      what: 'live fixes stored',
    });
    await first.runtime.close();

    for (const uid of ['1', '2', '3']) sent.get(uid)!.push(...(await publish(uid, 300)));
    await until(async () => (await positioned('3')) === 320, { what: 'fixes positioned while away' });

    const second = open(dir);
    await until(() => ['1', '2', '3'].every((uid) => stored(second.runtime, uid).length >= 320), {
      what: 'missed fixes stored',
    });
    await second.runtime.station.fixesDelivered();
    for (const uid of ['1', '2', '3']) expectOnceInOrder(stored(second.runtime, uid), sent.get(uid)!);
    expect(second.runtime.store.listHoles({ uid: '1', from: 0, to: Number.MAX_SAFE_INTEGER })).toEqual([]);
    // History tells the 20 fixes that came live from the 300 the relay replayed on reconnecting.
    const track = second.runtime.store.range({ uid: '1', from: 0, to: Number.MAX_SAFE_INTEGER });
    const replayed = [...track.arrival].map((a) => a & ARRIVAL_REPLAYED);
    expect(replayed).toEqual([...Array<number>(20).fill(0), ...Array<number>(300).fill(ARRIVAL_REPLAYED)]);
    await second.runtime.close();
  });

  it('says it is catching up from the reconnect until every replayed fix has reached the renderer', async () => {
    const dir = tempDir();
    const members = ['30', '31', '32'];
    const first = open(dir);
    await connected(first.statuses);
    await first.runtime.station.watchMany(members);
    for (const uid of members) await publish(uid, 3);
    await until(() => members.every((uid) => stored(first.runtime, uid).length === 3), {
      what: 'live fixes',
    });
    await first.runtime.close();

    for (const uid of members) await publish(uid, 2_000);
    await until(async () => (await positioned('32')) === 2_003, { what: 'fixes positioned while away' });

    const second = open(dir);
    const doneAt = await until(
      () => {
        const i = second.statuses.findIndex((s) => s.state === 'connected' && s.catchingUp === undefined);
        return i >= 0 && i;
      },
      { what: 'the catch-up over' },
    );
    const firstConnected = second.statuses.findIndex((s) => s.state === 'connected');
    // From the very first `connected` status on, the reconnect is not judged as the members' silence.
    expect(second.statuses[firstConnected]!.catchingUp).toBe(3);
    expect(firstConnected).toBeLessThan(doneAt);
    // When it says it is over, the 6,000 replayed fixes have been handed to the renderer, not just sent.
    expect(second.deliveredAt[doneAt]).toBeGreaterThanOrEqual(6_000);
    for (const uid of members) expect(stored(second.runtime, uid)).toHaveLength(2_003);
    await second.runtime.close();
  });

  it('fetches from history what the relay will not replay (12,000 of one member), resuming after a restart', async () => {
    const dir = tempDir();
    const members = ['10', '11', '12'];
    const first = open(dir);
    await connected(first.statuses);
    await first.runtime.station.watchMany(members);
    const sent = new Map<string, number[]>();
    for (const uid of members) sent.set(uid, await publish(uid, 5));
    await until(() => members.every((uid) => stored(first.runtime, uid).length === 5), {
      what: 'live fixes',
    });
    await first.runtime.close();

    // Away: 12,000 fixes of one member (more than the relay's replayMax of 10,000) and 100 of the others.
    sent.get('10')!.push(...(await publish('10', 12_000)));
    for (const uid of ['11', '12']) sent.get(uid)!.push(...(await publish(uid, 100)));
    await until(async () => (await positioned('10')) === 12_005 && (await positioned('12')) === 105, {
      what: 'fixes positioned while away',
      timeoutMs: 30_000,
    });

    // Back, and closed again in the middle of the backfill: its span is in SQLite, not in memory.
    const second = open(dir);
    const midway = await until(
      () => second.statuses.find((s) => s.backfill?.some((b) => b.uid === '10' && b.done > 0)),
      { what: 'backfill progress in the status', timeoutMs: 30_000 },
    );
    const progress = midway.backfill!.find((b) => b.uid === '10')!;
    expect(progress.total).toBe(12_000);
    expect(progress.done).toBeLessThan(12_000);
    const storedMidway = stored(second.runtime, '10').length;
    await second.runtime.close();

    const third = open(dir);
    expect(third.runtime.store.backfillSpans()).toMatchObject([
      { uid: '10', afterOffset: 5, toOffset: 12_005 },
    ]);
    await until(() => stored(third.runtime, '10').length === 12_005, {
      what: 'the backfill resumed and finished',
      timeoutMs: 60_000,
    });
    await until(() => third.statuses.at(-1)?.backfill === undefined, {
      what: 'backfill gone from the status',
    });
    // The other members' missed fixes come by the relay's replay, which may still be on its way on a busy machine.
    await until(() => members.every((uid) => stored(third.runtime, uid).length >= sent.get(uid)!.length), {
      what: 'every member’s missed fixes stored',
      timeoutMs: 30_000,
    });
    await third.runtime.station.fixesDelivered();
    for (const uid of members) expectOnceInOrder(stored(third.runtime, uid), sent.get(uid)!);
    expect(third.runtime.store.backfillSpans()).toEqual([]);
    expect(third.runtime.store.listHoles({ uid: '10', from: 0, to: Number.MAX_SAFE_INTEGER })).toEqual([]);
    console.info(`backfill: ${storedMidway} of 12,005 stored when cut short; 12,005 after the resume`);
    await third.runtime.close();
  });

  it('records the time Redis lost as a hole, and stores what the new history holds', async () => {
    const dir = tempDir();
    const first = open(dir);
    await connected(first.statuses);
    await first.runtime.station.watchMany(['20']);
    const before = await publish('20', 10);
    await until(() => stored(first.runtime, '20').length === 10, { what: 'live fixes' });
    await first.runtime.close();

    // Away: the member sends, then Redis loses everything (a restart without persistence), then it sends again.
    await publish('20', 30);
    await until(async () => (await positioned('20')) === 40, { what: 'positioned' });
    await publisher.flushall(); // the private redis-server of this file
    const after = await publish('20', 25);
    await until(async () => (await positioned('20')) === 25, { what: 'positioned in a new epoch' });

    const second = open(dir);
    await until(() => stored(second.runtime, '20').length === 35, { what: 'the new epoch stored' });
    const holes = await until(
      () => {
        const found = second.runtime.store.listHoles({ uid: '20', from: 0, to: Number.MAX_SAFE_INTEGER });
        return found.length > 0 && found;
      },
      { what: 'a hole recorded' },
    );
    expect(holes).toEqual([{ uid: '20', from: before.at(-1), to: after[0], reason: 'epoch_changed' }]);
    expect(await second.runtime.station.holes({ uid: '20', from: 0, to: Number.MAX_SAFE_INTEGER })).toEqual(
      holes,
    );
    expect(stored(second.runtime, '20').map((r) => r.ts)).toEqual([...before, ...after]);
    await second.runtime.close();
  });
});
