/**
 * While the relay's command connection is away, its subscriber may still be up: live positioned fixes are dropped
 * then (app.ts) and the re-catch-up that runs once Redis is back must deliver them. These are the cases where it
 * used to leave a member behind, found by the restart test (relay/redis-restart-loss.process.test.ts): a member with
 * no position yet, a re-catch-up whose read Redis did not answer, and a member whose history restarted.
 *
 * The relay's own connections are kept away by locking Redis's default user (its subscriber stays connected, new
 * connections are refused) and closing its command connection; the test's backend connection has its own user.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fix } from '../protocol/fix.js';
import type { RunningRelay } from './app.js';
import { createPositioning, type Positioning } from './positioning/positioning.js';
import { RELAY_CONNECTION_NAME } from './redis-name.js';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import { connectStation, operatorToken, startTestRelay, type TestStation } from '../test/support/relay.js';
import { until } from '../test/support/wait.js';

const PREFIX = 'outage:';
let redis: PrivateRedis;
let relay: RunningRelay;
let backend: Redis;
let positioning: Positioning;

beforeAll(async () => {
  redis = await startPrivateRedis();
  const admin = new Redis(redis.url);
  await admin.call('ACL', 'SETUSER', 'backend', 'on', '>backend-secret', '~*', '&*', '+@all');
  admin.disconnect();
  backend = new Redis(redis.url, { username: 'backend', password: 'backend-secret' });
  positioning = createPositioning(backend, { keyPrefix: PREFIX });
  relay = await startTestRelay({ redisUrl: redis.url, keyPrefix: PREFIX });
});
afterAll(async () => {
  await relay.close({ drainMs: 0 });
  backend.disconnect();
  await redis.stop();
});
beforeEach(async () => {
  await backend.call('ACL', 'SETUSER', 'default', 'on', 'nopass', '+@all');
  await until(() => relay.stats().redisHealthy, { timeoutMs: 15_000, what: 'the relay back on Redis' });
});

const fix = (uid: string, i: number): Fix => ({
  uid,
  lat: 23.1,
  lon: 113.3,
  ts: 1_700_000_000_000 + i,
  crs: 'gcj02',
});

/**
 * Refuse the relay's new connections and close its command connection; its subscriber stays. Resolves with the ids
 * of the connections it closed, for `relayBack`.
 */
async function keepCommandConnectionAway(): Promise<string[]> {
  await backend.call('ACL', 'SETUSER', 'default', 'resetpass', '>locked');
  const killed: string[] = [];
  // Closed again on every look: a connection still in its handshake when the list was read has no name yet and
  // escapes one round.
  await until(
    async () => {
      if (!relay.stats().redisHealthy) return true;
      killed.push(...(await closeCommandConnection()));
      return false;
    },
    { what: 'the relay without its command connection' },
  );
  return killed;
}

/** The ids of the relay's command connections (named lodestar-relay, not in pub/sub mode). */
async function commandConnections(): Promise<string[]> {
  const list = (await backend.client('LIST')) as string;
  return list
    .split('\n')
    .filter((line) => line.includes(`name=${RELAY_CONNECTION_NAME} `) && !/flags=\S*P/.test(line))
    .map((line) => /id=(\d+)/.exec(line)?.[1])
    .filter((id) => id !== undefined);
}

/** Close the relay's command connection; resolves with the ids closed. */
async function closeCommandConnection(): Promise<string[]> {
  const ids = await commandConnections();
  for (const id of ids) await backend.client('KILL', 'ID', id, 'TYPE', 'normal');
  return ids;
}

async function gauge(name: string): Promise<number> {
  const metric = await relay.registry.getSingleMetric(name)?.get();
  return metric?.values.reduce((sum, v) => sum + v.value, 0) ?? 0;
}

/**
 * The relay back after its command connections `killed` were closed: up on a new connection (named: the relay counts
 * a connection only once its name is set), and the re-catch-up that coming back started holds no read or replay any
 * more (one whose read was refused waits to read again, holding neither). A step that went on earlier would race it:
 * a fix positioned during its read is replayed instead of sent live.
 */
async function relayBack(killed: readonly string[]): Promise<void> {
  await until(
    async () => relay.stats().redisHealthy && (await commandConnections()).some((id) => !killed.includes(id)),
    { timeoutMs: 15_000, what: 'the relay back on a new command connection' },
  );
  await until(
    async () =>
      (await gauge('lodestar_relay_catchups_running')) === 0 &&
      (await gauge('lodestar_relay_catchups_queued')) === 0,
    { what: 'the re-catch-up done' },
  );
}

async function received(): Promise<number> {
  const metric = await relay.registry.getSingleMetric('lodestar_relay_fixes_received_total')?.get();
  return metric?.values.reduce((sum, v) => sum + v.value, 0) ?? 0;
}

/** Position a fix the way PHP may, and wait until the relay's subscriber took it (dropped: Redis is away). */
async function positionWhileAway(uid: string, i: number): Promise<void> {
  const before = await received();
  await positioning.position(fix(uid, i), `k${i}`);
  await until(async () => (await received()) > before, { what: 'the relay receiving the positioned fix' });
}

const fixesOf = (station: TestStation, uid: string) =>
  station
    .all('fix')
    .filter((m) => m.fix.uid === uid)
    .map((m) => `${m.fix.epoch === undefined ? '' : m.fix.offset}${m.replay ? 'r' : ''}`);

async function watching(uid: string): Promise<TestStation> {
  const station = await connectStation(relay.wsUrl, await operatorToken('*'));
  station.send({ type: 'watch', id: 'w', members: [{ uid }] });
  await station.next('watched', (m) => m.uid === uid);
  return station;
}

describe('re-catch-up after the command connection was away', () => {
  it('delivers the first fixes of a member that had no history when watched', async () => {
    const station = await watching('51');
    const killed = await keepCommandConnectionAway();
    await positionWhileAway('51', 1);
    await backend.call('ACL', 'SETUSER', 'default', 'nopass');
    await relayBack(killed);

    await station.next('fix', (m) => m.fix.uid === '51' && m.fix.offset === 1, 15_000);
    await positioning.position(fix('51', 2), 'k2');
    await station.next('fix', (m) => m.fix.uid === '51' && m.fix.offset === 2);
    expect(fixesOf(station, '51')).toEqual(['1r', '2']);
    await station.close();
  }, 30_000);

  it('keeps the position when the re-catch-up read fails, and reads again', async () => {
    const station = await watching('52');
    await positioning.position(fix('52', 1), 'k1');
    await station.next('fix', (m) => m.fix.uid === '52' && m.fix.offset === 1);
    const killed = await keepCommandConnectionAway();
    await positionWhileAway('52', 2);
    // The relay comes back, but its catch-up reads are refused for a while.
    await backend.call('ACL', 'LOG', 'RESET');
    await backend.call('ACL', 'SETUSER', 'default', 'nopass', '-xrange');
    await until(async () => JSON.stringify(await backend.call('ACL', 'LOG')).includes('xrange'), {
      timeoutMs: 15_000,
      what: 'a catch-up read refused',
    });
    await backend.call('ACL', 'SETUSER', 'default', '+@all');
    // Another reconnect, as after any further outage: the member must not be left out of its re-catch-up either.
    killed.push(...(await closeCommandConnection()));
    await relayBack(killed);

    await station.next('fix', (m) => m.fix.uid === '52' && m.fix.offset === 2, 15_000);
    await positioning.position(fix('52', 3), 'k3');
    await station.next('fix', (m) => m.fix.uid === '52' && m.fix.offset === 3);
    expect(fixesOf(station, '52')).toEqual(['1', '2r', '3']);
    expect(station.all('watched').filter((m) => m.catchup.status === 'not_recoverable')).toEqual([]);
    await station.close();
  }, 30_000);

  it('runs a station’s watch after the re-catch-up, which still starts from what Redis published', async () => {
    const station = await watching('55');
    const published = [];
    for (let i = 1; i <= 3; i++) published.push((await positioning.position(fix('55', i), `k${i}`))!);
    await station.next('fix', (m) => m.fix.uid === '55' && m.fix.offset === 3);
    const epoch = published[0]!.epoch;
    const killed = await keepCommandConnectionAway();
    // The relay comes back, but its re-catch-up's reads are refused for a while: it waits to read again.
    await backend.call('ACL', 'LOG', 'RESET');
    await backend.call('ACL', 'SETUSER', 'default', 'nopass', '-xrange');
    await relayBack(killed);
    await until(async () => JSON.stringify(await backend.call('ACL', 'LOG')).includes('xrange'), {
      timeoutMs: 15_000,
      what: 'a re-catch-up read refused',
    });
    // Meanwhile the station watches the member again from an older position of its own (a claim), and Redis loses
    // its latest write (an AOF one write old): only the relay's own position, offset 3, shows it.
    station.send({ type: 'watch', id: 'again', members: [{ uid: '55', since: { epoch, offset: 1 } }] });
    station.send({ type: 'unwatch', id: 'taken', members: ['none'] });
    await station.next('unwatched', (m) => m.id === 'taken');
    await backend.hset(`${PREFIX}{55}:meta`, 'offset', '2', 'fix', JSON.stringify(published[1]));
    await backend.xtrim(`${PREFIX}{55}:fixes`, 'MAXLEN', 2);
    // Reads let through, the waiting re-catch-up reads at its next try. No reconnect here: one that closes a read in
    // flight has ioredis send it again once back, and the relay, finding the member's re-catch-up not waiting, runs
    // one more after it (one more `watched`), depending on timing.
    await backend.call('ACL', 'SETUSER', 'default', '+@all');

    // Both are answered, one after the other: the epoch Redis lost a write of is over, for the re-catch-up and for
    // the station's own watch.
    const answered = await station.next('watched', (m) => m.uid === '55' && m.id === 'again', 15_000);
    expect(answered.catchup).toMatchObject({ status: 'not_recoverable', reason: 'epoch_changed' });
    const watched = station.all('watched').filter((m) => m.uid === '55');
    expect(watched.map((m) => [m.id, m.catchup.status === 'not_recoverable' && m.catchup.reason])).toEqual([
      ['w', false],
      [undefined, 'epoch_changed'],
      ['again', 'epoch_changed'],
    ]);
    // So the next fix starts a new epoch instead of reusing offset 3, which the station would drop as held.
    const next = (await positioning.position(fix('55', 4), 'k4'))!;
    expect(next.epoch).not.toBe(epoch);
    await station.next('fix', (m) => m.fix.uid === '55' && m.fix.epoch === next.epoch);
    await station.close();
  }, 30_000);

  it('replays a restarted history from its first fix, after telling the station', async () => {
    const station = await watching('53');
    await positioning.position(fix('53', 1), 'k1');
    const first = await station.next('fix', (m) => m.fix.uid === '53' && m.fix.offset === 1);
    const killed = await keepCommandConnectionAway();
    // Redis lost the member (a restart without persistence), and its next fixes start a new epoch.
    await backend.del(`${PREFIX}{53}:meta`, `${PREFIX}{53}:fixes`, `${PREFIX}{53}:bytime`);
    await positionWhileAway('53', 2);
    await positionWhileAway('53', 3);
    await backend.call('ACL', 'SETUSER', 'default', 'nopass');
    await relayBack(killed);

    const told = await station.next('watched', (m) => m.uid === '53' && m.id === undefined, 15_000);
    expect(told.catchup).toMatchObject({ status: 'not_recoverable', reason: 'epoch_changed' });
    await station.next('fix', (m) => m.fix.uid === '53' && m.fix.offset === 2 && m.replay === true);
    const replayed = station.all('fix').filter((m) => m.fix.uid === '53' && m.replay);
    expect(replayed.map((m) => m.fix.offset)).toEqual([1, 2]);
    expect(replayed.every((m) => m.fix.epoch !== first.fix.epoch)).toBe(true);
    await station.close();
  }, 30_000);
});
