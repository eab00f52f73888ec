/**
 * The relay on Redis Cluster (REDIS_CLUSTER_NODES): three masters and three replicas on private ports, started once
 * for this file. PHP publishes raw fixes with a classic PUBLISH (it reaches the relay on whatever node it
 * subscribed); the relay positions them per slot on their members' masters and fans them out from the sharded
 * positioned channel. Checked: fan-out, members spread over all three masters, catch-up with `since`, history,
 * ingest over HTTP, and a master SIGKILLed at 200 fixes/s with its replica promoted: every fix published is
 * positioned once, no member's epoch changes (positions are published only once a replica acknowledged them), and
 * every station ends holding exactly what Redis holds, never a silent hole; /readyz follows.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionedFix } from '../protocol/fix.js';
import type { RunningRelay } from './app.js';
import { createPositioning, type Positioning } from './positioning/positioning.js';
import { slotOf } from './positioning/slots.js';
import {
  expectReadinessFollowed,
  expectStationsHoldRedis,
  sampleReadiness,
  steadyLoad,
} from '../test/support/failover.js';
import { hasRedisCluster, startPrivateCluster, type PrivateCluster } from '../test/support/redis-cluster.js';
import {
  connectStation,
  memberToken,
  operatorToken,
  startTestRelay,
  type TestStation,
} from '../test/support/relay.js';
import { until } from '../test/support/wait.js';

if (!hasRedisCluster) console.warn('redis-server or redis-cli is not installed: skipping the Cluster tests');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const hasPhpRedis = (() => {
  try {
    return /^redis$/m.test(execFileSync('php', ['-m'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
})();
if (!hasPhpRedis) console.warn('php or php-redis is not installed: skipping the PHP Cluster check');

const PREFIX = 'cluster-test:';
const CHANNEL = 'location_update';
const UIDS = Array.from({ length: 30 }, (_, i) => String(700 + i));

/** A raw fix as the customer's PHP publishes it: strings for coordinates, its own ts. */
const raw = (uid: string, ts: number) =>
  JSON.stringify({ uid: Number(uid), longitude: '113.3', latitude: (23 + (ts % 1000) / 1e4).toFixed(4), ts });

describe.skipIf(!hasRedisCluster)('relay on Redis Cluster', () => {
  let cluster: PrivateCluster;
  let relay: RunningRelay;
  let backend: Cluster;
  /**
   * One PHP connection: a classic PUBLISH reaches other nodes over the cluster bus, so messages sent through
   * different nodes may arrive in another order than sent; through one connection their order is kept.
   */
  let php: Redis;
  let positioning: Positioning;
  /** Watching every member from the start: the failover test audits everything they received. */
  const stations: TestStation[] = [];
  let station: TestStation;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    relay = await startTestRelay({
      redisUrl: 'redis://unused.invalid:1',
      redisClusterNodes: cluster.nodes,
      keyPrefix: PREFIX,
    });
    await until(() => relay.stats().redisHealthy, { timeoutMs: 20_000, what: 'relay ready on the cluster' });
    backend = new Cluster(
      cluster.ports.map((port) => ({ host: '127.0.0.1', port })),
      { enableAutoPipelining: true, clusterRetryStrategy: () => 100 },
    );
    backend.on('error', () => undefined);
    positioning = createPositioning(backend, { keyPrefix: PREFIX });
    php = new Redis({ host: '127.0.0.1', port: cluster.ports[0] as number });
    php.on('error', () => undefined);
    for (let i = 0; i < 3; i++) {
      const s = await connectStation(relay.wsUrl, await operatorToken('*'));
      s.send({ type: 'watch', id: 'w', members: UIDS.map((uid) => ({ uid })) });
      await Promise.all(UIDS.map((uid) => s.next('watched', (m) => m.uid === uid)));
      stations.push(s);
    }
    station = stations[0] as TestStation;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(stations.map((s) => s.close()));
    await relay?.close({ drainMs: 0 });
    backend?.disconnect();
    php?.disconnect();
    await cluster?.stop();
  });

  it('positions PHP-published fixes of members on every master and fans them out', async () => {
    const base = Date.now();
    for (const [i, uid] of UIDS.entries()) await php.publish(CHANNEL, raw(uid, base + i));
    for (const [i, uid] of UIDS.entries()) {
      const got = await station.next('fix', (m) => m.fix.uid === uid && m.fix.ts === base + i);
      expect(got.fix).toMatchObject({ uid, lon: 113.3, offset: 1 });
    }
    // The members' keys are on all three masters: each master positioned some of them.
    const masters = await cluster.masterPorts();
    const onMaster = new Set(UIDS.map((uid) => backend.slots[slotOf(uid)]?.[0]));
    expect(onMaster.size).toBe(masters.length);
    for (const uid of UIDS) expect((await positioning.latest(uid))?.ts).toBeGreaterThanOrEqual(base);
  });

  it.skipIf(!hasPhpRedis)('docs/php.md: PHP publishes through phpredis RedisCluster', async () => {
    const doc = readFileSync(`${ROOT}docs/php.md`, 'utf8');
    expect(doc).toContain(readFileSync(`${ROOT}docs/php/cluster-connect.php`, 'utf8').trim());
    const uid = UIDS[2] as string;
    const seeds = cluster.nodes
      .split(',')
      .map((s) => `'${s}'`)
      .join(', ');
    const code = [
      "require 'docs/php/cluster-connect.php';",
      "require 'docs/php/publish-fix.php';",
      `$redis = lodestar_cluster(['127.0.0.1:1', ${seeds}]);`,
      `lodestar_publish_fix($redis, ${uid}, ['longitude' => '113.3', 'latitude' => '23.125']);`,
    ].join('\n');
    await promisify(execFile)('php', ['-r', code], { cwd: ROOT });
    const fix = await station.next('fix', (m) => m.fix.uid === uid && m.fix.lat === 23.125);
    expect(fix.fix.offset).toBeGreaterThan(0);
  });

  it('claims each fix once across relays (per-slot claims), and position() publishes on its slot', async () => {
    // A second relay's connection: the same calls find the claims the first one made.
    const other = new Cluster(
      cluster.ports.map((port) => ({ host: '127.0.0.1', port })),
      { enableAutoPipelining: true },
    );
    other.on('error', () => undefined);
    await until(() => other.status === 'ready', { what: 'second connection ready' });
    const second = createPositioning(other, { keyPrefix: PREFIX });
    const base = Date.now();
    const items = UIDS.map((uid, i) => ({
      fix: { uid, lat: 23.2, lon: 113.4, ts: base + i, crs: 'gcj02' as const },
      idempotencyKey: `batch-${base}-${i}`,
    }));
    expect(new Set(await positioning.positionBatch(items))).toEqual(new Set(['positioned']));
    expect(new Set(await second.positionBatch(items))).toEqual(new Set(['duplicate']));
    for (const [i, uid] of UIDS.entries())
      await station.next('fix', (m) => m.fix.uid === uid && m.fix.ts === base + i);

    const uid = UIDS[4] as string;
    const single = { uid, lat: 23.3, lon: 113.5, ts: base + 100, crs: 'gcj02' as const };
    const positioned = await second.position(single, `single-${base}`);
    expect(await positioning.position(single, `single-${base}`)).toBeNull();
    const got = await station.next('fix', (m) => m.fix.uid === uid && m.fix.ts === base + 100);
    expect(got.fix.offset).toBe(positioned?.offset);
    other.disconnect();
  });

  it('fans out raw fixes with positioning off (RELAY_POSITIONING=off) and answers watch from the latest hash', async () => {
    const plain = await startTestRelay({
      redisUrl: 'redis://unused.invalid:1',
      redisClusterNodes: cluster.nodes,
      keyPrefix: `${PREFIX}plain:`,
      positioning: false,
    });
    try {
      await until(() => plain.stats().redisHealthy, { timeoutMs: 20_000, what: 'plain relay ready' });
      const uid = UIDS[5] as string;
      const watcher = await connectStation(plain.wsUrl, await operatorToken([uid]));
      watcher.send({ type: 'watch', id: 'p', members: [{ uid }] });
      await watcher.next('watched', (m) => m.uid === uid);
      const ts = Date.now();
      await php.publish(CHANNEL, raw(uid, ts));
      const got = await watcher.next('fix', (m) => m.fix.uid === uid && m.fix.ts === ts);
      expect(got.fix).toMatchObject({ uid, lon: 113.3 });
      expect(got.fix.offset).toBeUndefined();
      // A second watcher is answered with that fix from the latest-position hash (one key, on one master).
      const later = await connectStation(plain.wsUrl, await operatorToken([uid]));
      let attempt = 0;
      await until(
        async () => {
          const id = `q${attempt++}`;
          later.send({ type: 'watch', id, members: [{ uid }] });
          const w = await later.next('watched', (m) => m.uid === uid && m.id === id);
          return w.latest?.ts === ts;
        },
        { what: 'latest from the hash' },
      );
      await Promise.all([watcher.close(), later.close()]);
    } finally {
      await plain.close({ drainMs: 0 });
    }
  });

  it('replays what a station missed (watch with since) and answers history', async () => {
    const uid = UIDS[0] as string;
    const base = Date.now();
    for (let i = 0; i < 5; i++) await php.publish(CHANNEL, raw(uid, base + i));
    const last = await station.next('fix', (m) => m.fix.uid === uid && m.fix.ts === base + 4);
    const mid = last.fix as PositionedFix;

    const late = await connectStation(relay.wsUrl, await operatorToken([uid]));
    late.send({
      type: 'watch',
      id: 'late',
      members: [{ uid, since: { epoch: mid.epoch, offset: mid.offset - 3 } }],
    });
    const watched = await late.next('watched', (m) => m.uid === uid);
    expect(watched.catchup).toMatchObject({ status: 'replaying', epoch: mid.epoch });
    await late.next('replay_done', (m) => m.uid === uid);
    expect(late.all('fix').map((m) => m.fix.offset)).toEqual([mid.offset - 2, mid.offset - 1, mid.offset]);

    late.send({ type: 'history', id: 'h', uid, from: base, to: base + 10 });
    const page = await late.next('history', (m) => m.id === 'h');
    expect(page.fixes.map((f) => f.ts)).toEqual([0, 1, 2, 3, 4].map((i) => base + i));
    await late.close();
  });

  it('ingests fixes over HTTP once per client id, on the member slot', async () => {
    const uid = UIDS[1] as string;
    const token = await memberToken(uid);
    const fix = { longitude: 113.31, latitude: 23.12, cid: `c-${Date.now()}`, ts: Date.now() };
    const post = () =>
      new Promise<{ status: number; body: { accepted?: number; duplicates?: number } }>((resolve, reject) => {
        const req = request(
          `${relay.httpUrl}/api/location/move`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify([fix]));
      });
    expect(await post()).toMatchObject({ status: 200, body: { accepted: 1, duplicates: 0 } });
    const got = await station.next('fix', (m) => m.fix.cid === fix.cid);
    expect(got.fix).toMatchObject({ uid, lat: 23.12 });
    expect(await post()).toMatchObject({ status: 200, body: { accepted: 0, duplicates: 1 } });
  });

  it('keeps stations gap-free through a master kill at 200 fixes/s, and /readyz follows', async () => {
    const readiness = sampleReadiness(relay.httpUrl);
    const before = new Map<string, PositionedFix | null>();
    for (const uid of UIDS) before.set(uid, await positioning.latest(uid));

    // 200 fixes/s: 10 every 50 ms, round-robin over the members, PUBLISHed as PHP does, through a master that
    // survives: a master SIGKILLed right after it answered a PUBLISH never passes it on over the cluster bus, a loss
    // of classic PUBLISH no relay can see (docs/php.md: the ingest API or position.lua avoid it). One that fails is
    // sent again, as PHP would (steadyLoad).
    const doomed = (await cluster.masterPorts())[0] as number;
    const survivor = (await cluster.masterPorts()).find((port) => port !== doomed) as number;
    const publisher = new Redis({ host: '127.0.0.1', port: survivor });
    publisher.on('error', () => undefined);
    const load = steadyLoad(UIDS, (uid, ts) => publisher.publish(CHANNEL, raw(uid, ts)));
    await until(() => load.answered > 300, { timeoutMs: 10_000, what: '300 fixes published' });
    // The master of slot 0: the relay's raw subscription is on its replica, which is promoted, so raw fixes keep
    // arriving and wait in the relay's backlog while the killed master's slots are away. Its replica is cut off (a
    // partition) for the last ~40 fixes before the kill: the master positions its share of them and only it has
    // them (asynchronous replication). Published then, stations would hold fixes the promoted replica never had.
    const reconnectReplica = await cluster.cutReplicaOf(doomed);
    const atPause = load.answered;
    await until(() => load.answered > atPause + 40, {
      timeoutMs: 10_000,
      what: '40 fixes while the replica is cut off',
    });
    const killedAt = Date.now();
    const oldMaster = await cluster.killMaster(doomed).finally(reconnectReplica);
    await cluster.failedOver(oldMaster);
    await until(() => relay.stats().redisHealthy, { timeoutMs: 20_000, what: 'relay ready again' });
    const atRecovery = load.answered;
    await until(() => load.answered > atRecovery + 300, {
      timeoutMs: 10_000,
      what: '300 more fixes published',
    });
    await load.stop();
    publisher.disconnect();
    const published = load.answered;

    // Every fix PUBLISHed is positioned, once: the raw fixes that arrived while the killed master's slots were away
    // waited in the relay's backlog, and a batch is published (and counted done) only once a replica acknowledged
    // its writes, so the promoted replica has every fix a station was sent (docs/scaling.md "Redis Cluster"). Offsets
    // count the fixes while the member's epoch stays: an epoch that changed would mean acknowledged writes were lost.
    // The relay may still be positioning the last fixes (a batch waits for its replica's acknowledgement): wait for
    // the count, or give up after a while and report what is missing.
    let positioned = 0;
    let changed: string[] = [];
    const counted = async () => {
      positioned = 0;
      changed = [];
      for (const uid of UIDS) {
        const was = before.get(uid);
        const now = await positioning.latest(uid);
        if (was && now?.epoch !== was.epoch) changed.push(uid);
        positioned += (now?.offset ?? 0) - (was?.offset ?? 0);
      }
      return positioned >= published;
    };
    await until(counted, { timeoutMs: 15_000, everyMs: 200 }).catch(() => undefined);
    const missing = published - positioned;
    let held: string | undefined;
    let epochChanges: number | undefined;
    try {
      epochChanges = await expectStationsHoldRedis(stations, UIDS, positioning);
    } catch (error) {
      held = String(error).split('\n')[0];
    }
    console.info(
      `cluster failover: ${published} fixes published, ${missing} not positioned, ${changed.length} epochs ` +
        `changed, ${epochChanges ?? 'n/a'} epoch_changed notices over ${stations.length} stations x ` +
        `${UIDS.length} members; stations hold Redis: ${held ?? 'yes'}`,
    );
    expect(held, 'every station holds what Redis holds').toBeUndefined();
    expect(changed, 'members whose epoch changed').toEqual([]);
    expect(epochChanges, 'epoch_changed notices').toBe(0);
    expect(missing, 'fixes published but never positioned').toBe(0);
    expectReadinessFollowed(await readiness.stop(), killedAt);
  }, 120_000);
});
