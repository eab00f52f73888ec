/**
 * Runs deploy/nginx/lodestar-relay.conf with Debian's nginx on free ports in front of two real in-process relays
 * (`startRelay`, relay/app.ts) sharing one private redis-server: stations connect through nginx, both relays get
 * stations, fixes published on Redis reach a station through nginx, and when one relay goes away its stations
 * reconnect through nginx to the other.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../../relay/app.js';
import { freePort } from '../../test/support/ports.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import { connectStation, operatorToken, startTestRelay, type TestStation } from '../../test/support/relay.js';

const CONFIG = readFileSync(new URL('./lodestar-relay.conf', import.meta.url), 'utf8');
const hasNginx = spawnSync('nginx', ['-v']).status === 0;
if (!hasNginx)
  console.warn('nginx is not installed (apt-get install nginx-light): skipping the load-balancer test');

describe.skipIf(!hasNginx)('nginx in front of two relays (deploy/nginx/lodestar-relay.conf)', () => {
  let redisServer: PrivateRedis;
  let publisher: Redis;
  let dir: string;
  let nginx: ChildProcess;
  let url: string;
  let relayA: RunningRelay;
  let relayB: RunningRelay;
  const token = () => operatorToken('*');

  beforeAll(async () => {
    redisServer = await startPrivateRedis();
    publisher = new Redis(redisServer.url);
    // One key prefix: relays behind one balancer share everything in Redis.
    const keyPrefix = 'lb:';
    relayA = await startTestRelay({ redisUrl: redisServer.url, keyPrefix, relayId: 'A' });
    relayB = await startTestRelay({ redisUrl: redisServer.url, keyPrefix, relayId: 'B' });
    const port = await freePort();
    url = `ws://127.0.0.1:${port}`;
    dir = mkdtempSync(join(tmpdir(), 'lodestar-nginx-'));
    chmodSync(dir, 0o755);
    const site = CONFIG.replace('127.0.0.1:30583', `127.0.0.1:${relayA.port}`)
      .replace('127.0.0.1:30584', `127.0.0.1:${relayB.port}`)
      .replace('listen 30582;', `listen 127.0.0.1:${port};`);
    expect(site, 'every port of the shipped config was replaced').not.toMatch(/3058[234]/);
    writeFileSync(join(dir, 'lodestar-relay.conf'), site);
    writeFileSync(
      join(dir, 'nginx.conf'),
      [
        'worker_processes 1;',
        `pid ${join(dir, 'nginx.pid')};`,
        `error_log ${join(dir, 'error.log')} warn;`,
        'events { worker_connections 256; }',
        `http { access_log off; include ${join(dir, 'lodestar-relay.conf')}; }`,
      ].join('\n'),
    );
    const args = ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')];
    const check = spawnSync('nginx', ['-t', ...args]);
    expect(check.status, String(check.stderr)).toBe(0);
    nginx = spawn('nginx', [...args, '-g', 'daemon off;'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const station = await connectStation(url, await token()).catch(() => undefined);
      if (station) {
        await station.close();
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = once(nginx, 'exit');
      nginx.kill('SIGTERM');
      await exited;
    }
    await relayA?.close({ drainMs: 0 });
    await relayB?.close({ drainMs: 0 });
    publisher?.disconnect();
    await redisServer?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function relayOf(station: TestStation): Promise<string> {
    return (await station.next('welcome')).relayId;
  }

  it('spreads stations over both relays, and fixes reach a station through nginx', async () => {
    const stations = await Promise.all(
      Array.from({ length: 6 }, async () => connectStation(url, await token())),
    );
    const relays = await Promise.all(stations.map(relayOf));
    expect(new Set(relays)).toEqual(new Set(['A', 'B']));

    for (const station of stations) station.send({ type: 'watch', members: [{ uid: '42' }] });
    await Promise.all(stations.map((s) => s.next('watched')));
    await publisher.publish(
      'location_update',
      JSON.stringify({ uid: 42, longitude: '113.3', latitude: '23.1' }),
    );
    const fixes = await Promise.all(stations.map((s) => s.next('fix')));
    expect(fixes.map((m) => m.fix.uid)).toEqual(Array(6).fill('42'));
    await Promise.all(stations.map((s) => s.close()));
  });

  it('sends the stations of a relay that went away to the other relay when they reconnect', async () => {
    let onA = await connectStation(url, await token());
    while ((await relayOf(onA)) !== 'A') {
      await onA.close();
      onA = await connectStation(url, await token());
    }
    await relayA.close({ drainMs: 0 });
    expect((await onA.closed).code).toBe(1012);
    const again = await Promise.all(
      Array.from({ length: 4 }, async () => connectStation(url, await token())),
    );
    expect(await Promise.all(again.map(relayOf))).toEqual(['B', 'B', 'B', 'B']);
    again[0]!.send({ type: 'watch', members: [{ uid: '7' }] });
    await again[0]!.next('watched');
    await publisher.publish(
      'location_update',
      JSON.stringify({ uid: 7, longitude: '113.3', latitude: '23.1' }),
    );
    expect((await again[0]!.next('fix')).fix.uid).toBe('7');
    await Promise.all(again.map((s) => s.close()));
  });
});
