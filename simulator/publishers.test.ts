/**
 * The simulator's fixes reach Redis as the relay accepts them: published PHP-style, or posted to a real relay's
 * ingest API with member tokens, and by the CLI as a user runs it. Real redis-server (private), real relay.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fix, parseRawFix } from '../protocol/fix.js';
import type { RunningRelay } from '../relay/app.js';
import { startPrivateRedis, type PrivateRedis } from '../scripts/lib/redis-server.js';
import { memberToken, startTestRelay } from '../test/support/relay.js';
import { createFleet, fleetTick, liveFleetSettings } from './fleet.js';
import { parseSimulateOptions } from './options.js';
import { createIngestPublisher, createRedisPublisher } from './publishers.js';
import { startSimulation } from './run.js';

let redis: PrivateRedis;
let relay: RunningRelay;
let subscriber: Redis;
const received: { channel: string; message: string }[] = [];

beforeAll(async () => {
  redis = await startPrivateRedis();
  relay = await startTestRelay({ redisUrl: redis.url });
  subscriber = new Redis(redis.url);
  subscriber.on('message', (channel: string, message: string) => received.push({ channel, message }));
  await subscriber.subscribe('location_update', 'sim_test', 'sim_cli');
});

afterAll(async () => {
  subscriber?.disconnect();
  await relay?.close({ drainMs: 0 });
  await redis?.stop();
});

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const parsedOn = (channel: string): Fix[] =>
  received
    .filter((r) => r.channel === channel)
    .map((r) => parseRawFix(Buffer.from(r.message), Date.now()))
    .map((p) => {
      if (!p.ok) throw new Error(`refused: ${p.reason}`);
      return p.value;
    });

const options = (argv: string[]) => {
  const parsed = parseSimulateOptions(argv, {});
  if (!parsed.ok) throw new Error(parsed.errors.join());
  return parsed.value;
};

describe('publishers', () => {
  it('Redis: every fix is published once, PHP-style, and parses back to itself', async () => {
    const fleet = createFleet(liveFleetSettings(options(['--members', '3']), 1, Date.now() - 60_000));
    const fixes = Array.from({ length: 20 }, () => fleetTick(fleet)).flat();
    const publisher = await createRedisPublisher(redis.url, 'sim_test');
    await publisher.send(fixes);
    await until(() => parsedOn('sim_test').length >= fixes.length, 'published fixes');
    expect(publisher.counts).toMatchObject({ sent: fixes.length, failed: 0 });
    const back = parsedOn('sim_test');
    expect(back.map((f) => [f.uid, f.ts, f.speed, f.accuracy, f.crs])).toEqual(
      fixes.map((f) => [f.uid, f.ts, f.speed, f.accuracy, f.crs]),
    );
    expect(JSON.parse(received.find((r) => r.channel === 'sim_test')!.message)).toMatchObject({
      uid: 42,
      longitude: expect.stringMatching(/^113\.\d{7}$/),
      latitude: expect.stringMatching(/^22\.\d{7}$/),
    });
    await publisher.close();
  });

  it('ingest: a real relay accepts every fix under each member token and publishes it', async () => {
    const before = parsedOn('location_update').length;
    const fleet = createFleet(
      liveFleetSettings(options(['--members', '2', '--first-uid', '700']), 2, Date.now() - 60_000),
    );
    const fixes = Array.from({ length: 10 }, () => fleetTick(fleet)).flat();
    const tokens = new Map([
      ['700', await memberToken('700')],
      ['701', await memberToken('701')],
    ]);
    const publisher = createIngestPublisher({ baseUrl: relay.httpUrl, tokens, runId: 'test1' });
    await publisher.send(fixes);
    await publisher.close();
    expect(publisher.counts).toMatchObject({ sent: fixes.length, failed: 0 });
    await until(() => parsedOn('location_update').length - before >= fixes.length, 'ingested fixes');
    const back = parsedOn('location_update').slice(before);
    expect(back.map((f) => `${f.uid}@${f.ts}`).sort()).toEqual(fixes.map((f) => `${f.uid}@${f.ts}`).sort());
    expect(back.every((f) => f.cid?.startsWith('test1-'))).toBe(true);
  });

  it('ingest: a wrong token is counted as failed with its error code, nothing crashes', async () => {
    const fleet = createFleet(liveFleetSettings(options(['--members', '1']), 3, Date.now() - 60_000));
    const publisher = createIngestPublisher({
      baseUrl: relay.httpUrl,
      tokens: new Map([['42', 'not-a-token']]),
      runId: 'test2',
    });
    await publisher.send(fleetTick(fleet));
    await publisher.close();
    expect(publisher.counts).toMatchObject({ sent: 0, failed: 1, lastError: 'token_malformed' });
  });

  it('the live loop sends one fix per member per period with the planned times, and stops when told', async () => {
    const sent: Fix[] = [];
    const publisher = await createRedisPublisher(redis.url, 'sim_loop');
    const startMs = Date.now() - 2_000;
    const simulation = startSimulation({
      fleet: liveFleetSettings(
        options(['--members', '2', '--rate', '10', '--dropouts-per-hour', '0']),
        4,
        startMs,
      ),
      publisher,
      onSend: (fixes) => sent.push(...fixes),
    });
    // Two seconds of backlog come at once, then 10 Hz.
    await until(() => sent.length >= 2 * 30, 'three seconds of fixes');
    await simulation.stop();
    const count = sent.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(sent.length).toBe(count);
    const times = sent.filter((f) => f.uid === '42').map((f) => f.ts - startMs);
    expect(times.slice(0, 5)).toEqual([0, 100, 200, 300, 400]);
    await publisher.close();
  });
});

describe('npm run simulate', () => {
  const main = resolve(import.meta.dirname, 'main.ts');
  const run = (args: string[]) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    return { child, output: () => out };
  };

  it('publishes for --duration seconds, says what it sent, and exits 0', async () => {
    const before = received.filter((r) => r.channel === 'sim_cli').length;
    const { child, output } = run([
      '--members',
      '2',
      '--rate',
      '2',
      '--duration',
      '2',
      '--redis',
      redis.url,
      '--channel',
      'sim_cli',
      '--seed',
      '9',
    ]);
    const [code] = (await once(child, 'exit')) as [number];
    expect(output()).toContain('seed 9');
    expect(code).toBe(0);
    const sent = Number(/stopped: sent (\d+), failed 0/.exec(output())?.[1]);
    expect(sent).toBeGreaterThanOrEqual(6);
    await until(() => received.filter((r) => r.channel === 'sim_cli').length - before >= sent, 'CLI fixes');
  });

  it('says when Redis cannot be reached, without a stack trace, and exits 1', async () => {
    const { child, output } = run(['--redis', 'redis://127.0.0.1:1', '--duration', '1']);
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(output()).toContain('cannot reach Redis at redis://127.0.0.1:1');
    expect(output()).not.toMatch(/\n\s+at /);
  });

  it('refuses bad options with exit code 2 and the reason', async () => {
    const { child, output } = run(['--members', 'many']);
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(2);
    expect(output()).toContain('--members must be an integer');
  });
});
