/**
 * Runs deploy/nginx/lodestar-relay.conf with Debian's nginx on free ports in front of two websocket servers.
 *
 * Honest label: relay/app.ts (`startRelay`) did not exist when this was written, so the two upstreams are plain
 * `ws` servers that stand in for relays (they greet with their name and echo). What is tested is the load balancer
 * config: upgrades pass, both upstreams get connections, headers reach them, and a station whose upstream dies
 * reconnects through nginx to the other one.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { freePort } from '../../test/support/ports.js';

const CONFIG = readFileSync(new URL('./lodestar-relay.conf', import.meta.url), 'utf8');
const hasNginx = spawnSync('nginx', ['-v']).status === 0;
if (!hasNginx)
  console.warn('nginx is not installed (apt-get install nginx-light): skipping the load-balancer test');

interface FakeRelay {
  name: string;
  server: WebSocketServer;
  upgrades: IncomingMessage[];
}

async function startFakeRelay(name: string, port: number): Promise<FakeRelay> {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  const upgrades: IncomingMessage[] = [];
  server.on('connection', (socket, request) => {
    upgrades.push(request);
    socket.send(JSON.stringify({ relay: name }));
    socket.on('message', (data) => socket.send(`${name}:${String(data)}`));
  });
  await once(server, 'listening');
  return { name, server, upgrades };
}

/** Connect through nginx; resolves with the socket and the name of the upstream that greeted. */
async function station(port: number, token = 't'): Promise<{ socket: WebSocket; relay: string }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { authorization: `Bearer ${token}` } });
  const [greeting] = (await once(socket, 'message')) as [Buffer];
  return { socket, relay: (JSON.parse(String(greeting)) as { relay: string }).relay };
}

describe.skipIf(!hasNginx)('nginx in front of two relays (deploy/nginx/lodestar-relay.conf)', () => {
  let dir: string;
  let nginx: ChildProcess;
  let port: number;
  let relayA: FakeRelay;
  let relayB: FakeRelay;

  beforeAll(async () => {
    const [a, b] = [await freePort(), await freePort()];
    port = await freePort();
    relayA = await startFakeRelay('A', a);
    relayB = await startFakeRelay('B', b);
    dir = mkdtempSync(join(tmpdir(), 'lodestar-nginx-'));
    chmodSync(dir, 0o755);
    const site = CONFIG.replace('127.0.0.1:30583', `127.0.0.1:${a}`)
      .replace('127.0.0.1:30584', `127.0.0.1:${b}`)
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
        'http {',
        `  access_log off;`,
        `  include ${join(dir, 'lodestar-relay.conf')};`,
        '}',
      ].join('\n'),
    );
    const check = spawnSync('nginx', [
      '-t',
      '-p',
      dir,
      '-e',
      join(dir, 'error.log'),
      '-c',
      join(dir, 'nginx.conf'),
    ]);
    expect(check.status, String(check.stderr)).toBe(0);
    nginx = spawn(
      'nginx',
      ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 100; i++) {
      const up = await station(port).then(
        (s) => (s.socket.close(), true),
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = once(nginx, 'exit');
      nginx.kill('SIGTERM');
      await exited;
    }
    relayA.server.close();
    relayB.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes websocket upgrades to both relays and frames both ways, with the station headers', async () => {
    const stations = await Promise.all(Array.from({ length: 8 }, (_, i) => station(port, `tok${i}`)));
    expect(new Set(stations.map((s) => s.relay))).toEqual(new Set(['A', 'B']));
    const first = stations[0]!;
    first.socket.send('ping');
    const [echo] = (await once(first.socket, 'message')) as [Buffer];
    expect(String(echo)).toBe(`${first.relay}:ping`);
    const upgrade = [...relayA.upgrades, ...relayB.upgrades].at(-1)!;
    expect(upgrade.headers.authorization).toMatch(/^Bearer tok\d$/);
    expect(upgrade.headers['x-forwarded-for']).toBe('127.0.0.1');
    for (const s of stations) s.socket.close();
  });

  it('sends a station whose relay died to the other relay when it reconnects', async () => {
    let onA = await station(port);
    while (onA.relay !== 'A') {
      onA.socket.close();
      onA = await station(port);
    }
    const closed = once(onA.socket, 'close');
    // Relay A dies: its connections drop and its port refuses new ones.
    for (const client of relayA.server.clients) client.terminate();
    relayA.server.close();
    await closed;
    const again = await Promise.all(Array.from({ length: 4 }, () => station(port)));
    expect(again.map((s) => s.relay)).toEqual(['B', 'B', 'B', 'B']);
    for (const s of again) s.socket.close();
  });
});
