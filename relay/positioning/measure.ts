/**
 * Quick figures for docs/scaling.md (not a test, not the relay benchmark):
 *   npx tsx relay/positioning/measure.ts [calls]
 * 1. position() calls/s through ONE ioredis connection with auto-pipelining, 20 members, 1,000 calls in flight;
 *    positionBatch() fixes/s, batches of MAX_POSITION_BATCH, 4 in flight.
 * 2. Redis memory of one member holding a day at 1 Hz (86,400 fixes), via MEMORY USAGE on a private redis-server.
 */
import { Redis } from 'ioredis';
import type { Fix } from '../../protocol/fix.js';
import { startPrivateRedis } from '../../test/support/redis-server.js';
import { memberKeys } from './keys.js';
import { createPositioning, MAX_POSITION_BATCH } from './positioning.js';

const T0 = Date.now() - 86_400_000;
/** A fix as the mini-program sends it (wx.onLocationChange fields, a client id). */
const fixOf = (uid: string, i: number): Fix => ({
  uid,
  lat: 23.1291 + (i % 1000) / 1e5,
  lon: 113.2644 + (i % 777) / 1e5,
  ts: T0 + i * 1000,
  crs: 'gcj02',
  speed: 1.4,
  accuracy: 15,
  altitude: 21,
  horizontalAccuracy: 15,
  verticalAccuracy: 8,
  heading: 270,
  cid: `c${i.toString(36)}`,
});

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

async function inFlight(total: number, window: number, call: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: window }, async () => {
      while (next < total) await call(next++);
    }),
  );
}

const server = await startPrivateRedis();
try {
  const redis = new Redis(server.url, { enableAutoPipelining: true });
  const positioning = createPositioning(redis, { keyPrefix: 'm:' });
  const calls = Number(process.argv[2] ?? 100_000);
  const publishStarted = performance.now();
  await inFlight(calls, 1000, (i) => redis.publish('raw', JSON.stringify(fixOf(String(i % 20), i))));
  const publishSeconds = (performance.now() - publishStarted) / 1000;
  console.log(`baseline PUBLISH of the same JSON: ${Math.round(calls / publishSeconds)} calls/s`);
  await inFlight(2000, 200, (i) => positioning.position(fixOf(`w${i % 20}`, i), `w${i}`));
  const started = performance.now();
  await inFlight(calls, 1000, (i) => positioning.position(fixOf(String(i % 20), i), `k${i}`));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `position(): ${calls} calls in ${seconds.toFixed(2)} s = ${Math.round(calls / seconds)} calls/s`,
  );

  // What a relay does: one turn's raw messages (up to MAX_POSITION_BATCH) in one script call, 4 calls in flight.
  // 1,000 members, as the relay benchmark; Redis's own accounting (INFO commandstats, INFO cpu) says what each
  // positioned fix costs its single thread.
  await redis.config('RESETSTAT');
  const cpuBefore = await redisCpuSeconds(redis);
  const batchStarted = performance.now();
  const batches = Math.ceil(calls / MAX_POSITION_BATCH);
  await inFlight(batches, 4, (b) =>
    positioning.positionBatch(
      Array.from({ length: MAX_POSITION_BATCH }, (_, j) => {
        const i = b * MAX_POSITION_BATCH + j;
        return { fix: fixOf(String(i % 1000), i), idempotencyKey: `b${i}` };
      }),
    ),
  );
  const batchSeconds = (performance.now() - batchStarted) / 1000;
  const batchFixes = batches * MAX_POSITION_BATCH;
  const cpuUs = ((await redisCpuSeconds(redis)) - cpuBefore) * 1e6;
  console.log(
    `positionBatch() of ${MAX_POSITION_BATCH}: ${Math.round(batchFixes / batchSeconds)} fixes/s; Redis CPU ${(cpuUs / batchFixes).toFixed(1)} µs per fix`,
  );
  const stats = (await redis.info('commandstats')).split('\r\n');
  for (const line of stats) {
    const m = /^cmdstat_([\w|]+):calls=(\d+),usec=(\d+)/.exec(line);
    // EVALSHA's time includes the commands it ran; the rest are those commands (calls from Lua count too).
    if (!m || m[1]?.startsWith('config') || Number(m[3]) < batchFixes / 100) continue;
    const [, name, count, usec] = m as unknown as [string, string, string, string];
    console.log(
      `  ${name}: ${(Number(count) / batchFixes).toFixed(2)} calls and ${(Number(usec) / batchFixes).toFixed(2)} µs per fix`,
    );
  }

  // Steady state of a full window: every fix retires the oldest one (maxLen reached for every member).
  const full = createPositioning(redis, { keyPrefix: 'full:', maxLen: 100 });
  await inFlight(4000, 1000, (i) => full.position(fixOf(String(i % 20), i), `f${i}`));
  const fullStarted = performance.now();
  await inFlight(calls, 1000, (i) => full.position(fixOf(String(i % 20), i), `g${i}`));
  const fullSeconds = (performance.now() - fullStarted) / 1000;
  console.log(
    `position() with every member at its cap (one trim per fix): ${Math.round(calls / fullSeconds)} calls/s`,
  );

  // What every relay but the first pays for a raw message: the script stops at SET NX.
  const dupStarted = performance.now();
  await inFlight(calls, 1000, (i) => positioning.position(fixOf(String(i % 20), i), `k${i}`));
  const dupSeconds = (performance.now() - dupStarted) / 1000;
  console.log(
    `position() of already positioned keys (duplicates): ${Math.round(calls / dupSeconds)} calls/s`,
  );
  // Idempotency claims: sets per half TTL; their memory per claim.
  let claimBytes = 0;
  let claimCount = 0;
  for (const key of await redis.keys('m:seen:*')) {
    claimBytes += Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
    claimCount += await redis.scard(key);
  }
  console.log(
    `idempotency claims: ${claimCount} in ${Math.round(claimBytes / 1024)} KB, ${Math.round(claimBytes / claimCount)} B each`,
  );

  const day = createPositioning(redis, { keyPrefix: 'day:', idempotencyTtlMs: 1 });
  await inFlight(86_400, 1000, (i) => day.position(fixOf('42', i), `d${i}`));
  const keys = memberKeys('day:', '42');
  const usage = async (key: string) => Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
  const stream = await usage(keys.stream);
  const byTime = await usage(keys.byTime);
  const meta = await usage(keys.meta);
  const json = (await day.latest('42'))!;
  console.log(`one positioned fix JSON: ${Buffer.byteLength(JSON.stringify(json))} bytes`);
  console.log(
    `86,400 fixes: stream ${(stream / 1e6).toFixed(1)} MB, time index ${(byTime / 1e6).toFixed(1)} MB, meta ${meta} B`,
  );
  console.log(
    `per fix: ${((stream + byTime) / 86_400).toFixed(0)} B; per member-day at 1 Hz: ${((stream + byTime + meta) / 1e6).toFixed(1)} MB`,
  );
  // What the customer's PHP sends today: uid, coordinates and (recommended) ts, nothing else.
  const small = createPositioning(redis, { keyPrefix: 'small:', idempotencyTtlMs: 1 });
  await inFlight(86_400, 1000, (i) => {
    const { uid, lat, lon, ts, crs } = fixOf('42', i);
    return small.position({ uid, lat, lon, ts, crs }, `s${i}`);
  });
  const smallKeys = memberKeys('small:', '42');
  const smallTotal = (await usage(smallKeys.stream)) + (await usage(smallKeys.byTime));
  console.log(
    `minimal PHP fix (uid, lat, lon, ts, crs): per member-day at 1 Hz ${(smallTotal / 1e6).toFixed(1)} MB`,
  );
  // The catch-up target: a station that missed 10 minutes of 100 members at 1 Hz (60,000 fixes).
  const away = createPositioning(redis, { keyPrefix: 'away:' });
  await inFlight(60_000, 1000, (i) => away.position(fixOf(`a${i % 100}`, i), `a${i}`));
  const held = await Promise.all(
    Array.from({ length: 100 }, async (_, m) => (await away.latest(`a${m}`))!.epoch),
  );
  const catchupStarted = performance.now();
  const replays = await Promise.all(held.map((epoch, m) => away.catchup(`a${m}`, { epoch, offset: 0 })));
  const catchupMs = performance.now() - catchupStarted;
  const replayed = replays.reduce((n, r) => n + r.fixes.length, 0);
  console.log(
    `catch-up of 100 members x 600 missed fixes: ${replayed} fixes read in ${catchupMs.toFixed(0)} ms`,
  );
  const info = await redis.info('memory');
  console.log(info.split('\r\n').find((l) => l.startsWith('used_memory_human')));
  redis.disconnect();
} finally {
  await server.stop();
}
