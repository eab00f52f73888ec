/**
 * A station's `since` is a claim, never evidence: a relay process on a private redis-server answers a `since` above
 * what Redis assigned with `not_recoverable` (`ahead_of_redis`) and changes nothing, so one read-only operator
 * cannot wipe members' history for every station. And after Redis comes back empty, every watched member of every
 * connection is told `epoch_changed`, including members that had no live fix on that connection.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import { connectStation, operatorToken, spawnRelay, type SpawnedRelay } from '../test/support/relay.js';

const PREFIX = 'since-claims:';

let redis: PrivateRedis;
let publisher: Redis;
let relay: SpawnedRelay;

function raw(uid: number, ts: number): string {
  return JSON.stringify({ uid, longitude: '113.3', latitude: '23.1', ts });
}

async function subscribed(): Promise<boolean> {
  return ((await publisher.call('PUBSUB', 'NUMSUB', 'location_update')) as [string, number])[1] === 1;
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  redis = await startPrivateRedis();
  publisher = new Redis(redis.url);
  publisher.on('error', () => undefined); // Redis is restarted on purpose below
  relay = await spawnRelay({ REDIS_URL: redis.url, RELAY_KEY_PREFIX: PREFIX, RELAY_DRAIN_MS: '0' });
  await until(subscribed);
}, 30_000);

afterAll(async () => {
  relay?.child.kill('SIGKILL');
  publisher?.disconnect();
  await redis?.stop();
});

describe('a watch whose since is above what Redis assigned', () => {
  it('is answered ahead_of_redis, retires nothing, and the history goes on in its epoch', async () => {
    const owner = await connectStation(relay.wsUrl, await operatorToken('*'));
    owner.send({ type: 'watch', id: 'w', members: [{ uid: '801' }] });
    await owner.next('watched');
    const ts = Date.now();
    for (let i = 0; i < 5; i++) await publisher.publish('location_update', raw(801, ts + i));
    await expect.poll(() => owner.all('fix').length).toBe(5);
    const epoch = owner.all('fix')[0]!.fix.epoch as string;
    const meta = `${PREFIX}{801}:meta`;
    const before = await publisher.hgetall(meta);

    // A read-only operator (scope: just this member) claims an offset far above the latest.
    const claimant = await connectStation(relay.wsUrl, await operatorToken(['801'], 3600, 'reader'));
    claimant.send({ type: 'watch', id: 'c', members: [{ uid: '801', since: { epoch, offset: 105 } }] });
    const told = await claimant.next('watched', (m) => m.id === 'c');
    expect(told.catchup).toEqual({
      status: 'not_recoverable',
      reason: 'ahead_of_redis',
      epoch,
      oldest: 1,
      latest: 5,
    });
    expect(told.latest).toMatchObject({ epoch, offset: 5 });
    expect(await publisher.hgetall(meta)).toEqual(before);
    expect(await publisher.xlen(`${PREFIX}{801}:fixes`)).toBe(5);

    // The next fix continues the epoch for everybody, the claimant included (its claim is not its position).
    await publisher.publish('location_update', raw(801, ts + 5));
    const next = await owner.next('fix', (m) => m.fix.offset === 6);
    expect(next.fix.epoch).toBe(epoch);
    expect((await claimant.next('fix')).fix).toMatchObject({ epoch, offset: 6 });
    expect(await publisher.xlen(`${PREFIX}{801}:fixes`)).toBe(6);
    await Promise.all([owner.close(), claimant.close()]);
  });
});

describe('after Redis comes back empty', () => {
  it('tells every watched member of every connection epoch_changed, with or without a live fix', async () => {
    const ts = Date.now();
    // 811 has a history before anybody watches; 812 gets a live fix on the connection.
    await publisher.publish('location_update', raw(811, ts));
    await expect.poll(() => publisher.exists(`${PREFIX}{811}:meta`)).toBe(1);
    const station = await connectStation(relay.wsUrl, await operatorToken('*'));
    station.send({ type: 'watch', id: 'w', members: [{ uid: '811' }, { uid: '812' }] });
    await station.next('watched', (m) => m.uid === '811');
    await station.next('watched', (m) => m.uid === '812');
    await publisher.publish('location_update', raw(812, ts));
    await station.next('fix', (m) => m.fix.uid === '812');

    await redis.stop();
    await redis.start();
    for (const uid of ['811', '812']) {
      const told = await station.next(
        'watched',
        (m) => m.uid === uid && m.id === undefined && m.catchup.status === 'not_recoverable',
        20_000,
      );
      expect(told.catchup).toMatchObject({ reason: 'epoch_changed' });
    }
    await station.close();
  }, 40_000);
});
