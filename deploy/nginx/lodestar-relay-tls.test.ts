/**
 * deploy/nginx/lodestar-relay-tls.conf with Debian's nginx on free ports, a throwaway CA and server certificate
 * made by openssl, and two real relays behind it on one private redis-server. Through TLS: the station's relay
 * client (electron/core) trusting the test CA by its `trustedCa` setting, `npm run watch --ca-file`, and the
 * mini-program's upload call (POST /api/location/move). Without the CA the station refuses the certificate.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fix } from '../../protocol/fix.js';
import type { RunningRelay } from '../../relay/app.js';
import { RelayClient } from '../../electron/core/relay-client/client.js';
import type { RelayStatus } from '../../electron/core/relay-client/types.js';
import { freePort } from '../../test/support/ports.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import { memberToken, operatorToken, startTestRelay } from '../../test/support/relay.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONFIG = readFileSync(new URL('./lodestar-relay-tls.conf', import.meta.url), 'utf8');
const run = promisify(execFile);
const has = (command: string, args: string[]) => spawnSync(command, args).status === 0;
const missing = [has('nginx', ['-v']) ? '' : 'nginx', has('openssl', ['version']) ? '' : 'openssl'].filter(
  Boolean,
);
if (missing.length) console.warn(`${missing.join(' and ')} not installed: skipping the TLS front test`);

/** A CA and a server certificate for localhost / 127.0.0.1 signed by it, valid for a day. */
function makeCertificates(dir: string): void {
  const ssl = (...args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=Lodestar test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  ssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(
    join(dir, 'ext.cnf'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  ssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '1',
    '-extfile',
    'ext.cnf',
  );
}

describe.skipIf(missing.length > 0)(
  'TLS in front of two relays (deploy/nginx/lodestar-relay-tls.conf)',
  () => {
    let redisServer: PrivateRedis;
    let dir: string;
    let nginx: ChildProcess;
    let httpsPort: number;
    let httpPort: number;
    let relayA: RunningRelay;
    let relayB: RunningRelay;
    let ca: string;
    const clients: RelayClient[] = [];

    beforeAll(async () => {
      redisServer = await startPrivateRedis();
      const keyPrefix = 'tls:';
      relayA = await startTestRelay({ redisUrl: redisServer.url, keyPrefix, relayId: 'A' });
      relayB = await startTestRelay({ redisUrl: redisServer.url, keyPrefix, relayId: 'B' });
      dir = mkdtempSync(join(tmpdir(), 'lodestar-tls-'));
      chmodSync(dir, 0o755);
      makeCertificates(dir);
      ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
      httpsPort = await freePort();
      httpPort = await freePort();
      const site = CONFIG.replace('127.0.0.1:30583', `127.0.0.1:${relayA.port}`)
        .replace('127.0.0.1:30584', `127.0.0.1:${relayB.port}`)
        .replace('listen 443 ssl;', `listen 127.0.0.1:${httpsPort} ssl;`)
        .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
        .replace('/etc/nginx/tls/relay.example.com.fullchain.pem', join(dir, 'server.pem'))
        .replace('/etc/nginx/tls/relay.example.com.key', join(dir, 'server.key'))
        .replaceAll('relay.example.com', 'localhost');
      const directives = site.replace(/#.*$/gm, '');
      expect(directives, 'every port and path of the shipped config was replaced').not.toMatch(
        /3058[34]|\/etc\/nginx/,
      );
      writeFileSync(join(dir, 'site.conf'), site);
      writeFileSync(
        join(dir, 'nginx.conf'),
        [
          'worker_processes 1;',
          `pid ${join(dir, 'nginx.pid')};`,
          `error_log ${join(dir, 'error.log')} warn;`,
          'events { worker_connections 256; }',
          `http { access_log off; include ${join(dir, 'site.conf')}; }`,
        ].join('\n'),
      );
      const args = ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')];
      const check = spawnSync('nginx', ['-t', ...args]);
      expect(check.status, String(check.stderr)).toBe(0);
      nginx = spawn('nginx', [...args, '-g', 'daemon off;'], { stdio: 'ignore' });
      for (let i = 0; i < 100 && (await get('/healthz').catch(() => undefined))?.status !== 200; i++)
        await new Promise((r) => setTimeout(r, 50));
    });

    afterAll(async () => {
      for (const c of clients) c.stop();
      if (nginx && nginx.exitCode === null) {
        const exited = once(nginx, 'exit');
        nginx.kill('SIGTERM');
        await exited;
      }
      await relayA?.close({ drainMs: 0 });
      await relayB?.close({ drainMs: 0 });
      await redisServer?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    function get(path: string, port = httpsPort): Promise<{ status: number; location?: string }> {
      return new Promise((resolve, reject) => {
        const url = `${port === httpsPort ? 'https' : 'http'}://127.0.0.1:${port}${path}`;
        const req = (port === httpsPort ? request : httpRequest)(
          url,
          port === httpsPort ? { ca } : {},
          (res) => {
            res.resume();
            resolve({
              status: res.statusCode ?? 0,
              ...(res.headers.location ? { location: res.headers.location } : {}),
            });
          },
        );
        req.on('error', reject);
        req.end();
      });
    }

    /** The station's relay client watching `uids`, trusting `trustedCa` (or only the system's CAs). */
    function station(uids: string[], trustedCa?: string) {
      const fixes: Fix[] = [];
      const statuses: RelayStatus[] = [];
      const client = new RelayClient({
        url: `wss://localhost:${httpsPort}`,
        tokenProvider: () => operatorToken('*'),
        members: () => uids,
        positions: () => new Map(),
        logger: pino({ level: 'silent' }),
        backoff: { baseMs: 50, maxMs: 200 },
        ...(trustedCa ? { trustedCa } : {}),
      });
      clients.push(client);
      client.onFixes((batch) => fixes.push(...batch.fixes));
      client.onStatus((s) => statuses.push(s));
      client.start();
      return { client, fixes, statuses };
    }

    async function until(condition: () => boolean, what: string): Promise<void> {
      // Generous: child processes start slowly on a loaded machine; a passing run waits only as long as needed.
      for (let i = 0; i < 1200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
      expect(condition(), what).toBe(true);
    }

    it('a station trusting the test CA and the mini-program ingest meet through wss:// and https://', async () => {
      const watcher = station(['42'], ca);
      await until(() => watcher.client.status.state === 'connected', 'the station is live through TLS');
      const cli = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'relay/cli/watch.ts',
          '--url',
          `wss://localhost:${httpsPort}`,
          '--member',
          '42',
          '--ca-file',
          join(dir, 'ca.pem'),
        ],
        {
          cwd: ROOT,
          env: { ...process.env, LODESTAR_TOKEN: await operatorToken('*') },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let cliOut = '';
      let cliErr = '';
      cli.stdout!.on('data', (c: Buffer) => (cliOut += c.toString()));
      cli.stderr!.on('data', (c: Buffer) => (cliErr += c.toString()));
      try {
        await until(() => cliErr.includes('watching 42'), 'npm run watch --ca-file is watching through TLS');

        const { stdout } = await run(
          process.execPath,
          [
            '--import',
            'tsx',
            'deploy/nginx/miniprogram-post.ts',
            `https://localhost:${httpsPort}/api/location/move`,
            await memberToken('42'),
            JSON.stringify([
              { longitude: 113.3245, latitude: 23.1063, ts: Date.now(), crs: 'gcj02', cid: 'tls-1' },
            ]),
          ],
          { cwd: ROOT, env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') } },
        );
        expect(JSON.parse(stdout)).toMatchObject({ outcome: 'done', status: 200, result: { accepted: 1 } });

        await until(() => watcher.fixes.some((f) => f.lat === 23.1063), 'the station got the fix');
        await until(() => cliOut.includes('23.1063'), 'npm run watch printed the fix');
      } finally {
        cli.kill('SIGTERM');
        await once(cli, 'exit');
      }
    }, 60_000);

    it('a station that does not trust the CA refuses the certificate and stays off', async () => {
      const stranger = station(['42']);
      await until(() => stranger.statuses.some((s) => s.state === 'reconnecting'), 'the attempt failed');
      expect(stranger.client.status.state).not.toBe('connected');
      expect(stranger.statuses.map((s) => s.reason ?? '').join('\n')).toMatch(/certificate/i);
      stranger.client.stop();
    });

    it('hides /metrics from the public front and redirects plain http:// to https://', async () => {
      expect((await get('/metrics')).status).toBe(404);
      expect((await get('/readyz')).status).toBe(200);
      const plain = await get('/api/location/move', httpPort);
      expect(plain.status).toBe(308);
      expect(plain.location).toMatch(/^https:\/\/[^/]+\/api\/location\/move$/);
    });
  },
);
