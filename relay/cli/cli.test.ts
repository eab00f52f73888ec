/**
 * The token and watch tools as operators run them: child processes through tsx, against a real relay and Redis.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../app.js';
import { verifyToken } from '../auth/tokens.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import { TEST_SECRET, startTestRelay } from '../../test/support/relay.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const tool = (script: string, args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, RELAY_SECRET: TEST_SECRET, ...env },
  });

let redis: PrivateRedis;
let relay: RunningRelay;

beforeAll(async () => {
  redis = await startPrivateRedis();
  relay = await startTestRelay({ redisUrl: redis.url });
});
afterAll(async () => {
  await relay.close({ drainMs: 0 });
  await redis.stop();
});

describe('npm run token', () => {
  it('prints an operator token alone on stdout', async () => {
    const { stdout } = await tool('relay/cli/token.ts', [
      'operator',
      '--id',
      'alice',
      '--members',
      '42,43',
      '--ttl',
      '8h',
    ]);
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const r = await verifyToken(TEST_SECRET, stdout.trim(), 'operator');
    expect(r.ok && r.claims).toMatchObject({ sub: 'alice', members: ['42', '43'] });
    if (r.ok) expect(r.claims.exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(8 * 3600 - 30);
  });

  it('prints a member token', async () => {
    const { stdout } = await tool('relay/cli/token.ts', ['member', '--uid', '42']);
    expect(await verifyToken(TEST_SECRET, stdout.trim(), 'member')).toMatchObject({
      ok: true,
      claims: { uid: '42' },
    });
  });

  it('refuses to run without RELAY_SECRET, with exit status 2', async () => {
    await expect(
      tool('relay/cli/token.ts', ['member', '--uid', '42'], { RELAY_SECRET: '' }),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('RELAY_SECRET'),
    });
  });
});

describe('npm run watch', () => {
  it('prints each fix as a JSON line and reports the close code on stderr', async () => {
    const { stdout: token } = await tool('relay/cli/token.ts', [
      'operator',
      '--id',
      'cli',
      '--members',
      '42',
    ]);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'relay/cli/watch.ts',
        '--url',
        relay.wsUrl,
        '--token',
        token.trim(),
        '--member',
        '42',
        '--member',
        '43',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!err.includes('watching 42')) {
      if (Date.now() > deadline) throw new Error(`watch did not start: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const publisher = new Redis(redis.url);
    await publisher.publish(
      'location_update',
      JSON.stringify({ uid: 42, longitude: '113.3', latitude: '23.1' }),
    );
    while (!out.includes('\n')) {
      if (Date.now() > deadline) throw new Error('no fix printed');
      await new Promise((r) => setTimeout(r, 50));
    }
    publisher.disconnect();
    expect(JSON.parse(out.split('\n')[0] as string)).toMatchObject({
      uid: '42',
      lat: 23.1,
      lon: 113.3,
      ts: expect.any(Number),
    });
    expect(err).toMatch(/error forbidden \(member 43\)/);
    await relay.close({ drainMs: 0 });
    expect(await exited).toBe(1);
    expect(err).toMatch(/closed: 1012 SERVICE_RESTART/);
    relay = await startTestRelay({ redisUrl: redis.url });
  });

  it('reports a refused upgrade', async () => {
    await expect(
      tool('relay/cli/watch.ts', ['--url', relay.wsUrl, '--token', 'bad', '--member', '1']),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/refused: HTTP 401 .*token_malformed/),
    });
  });

  it('--state keeps the last positions and catches up on the next run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lodestar-watch-'));
    const stateFile = join(dir, 'state.json');
    const { stdout: token } = await tool('relay/cli/token.ts', [
      'operator',
      '--id',
      'cli',
      '--members',
      '77',
    ]);
    const publisher = new Redis(redis.url);
    const publish = (i: number) =>
      publisher.publish(
        'location_update',
        JSON.stringify({ uid: 77, longitude: '113.3', latitude: '23.1', ts: 1_700_000_000_000 + i }),
      );
    const watch = () =>
      watchProcess(['--url', relay.wsUrl, '--token', token.trim(), '--member', '77', '--state', stateFile]);
    try {
      const first = watch();
      await first.until(() => first.err.includes('watching 77'));
      await publish(1);
      await publish(2);
      await first.until(() => first.out.split('\n').length > 2);
      first.child.kill('SIGINT');
      await first.exited;
      expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({
        '77': { epoch: expect.any(String), offset: 2 },
      });

      for (let i = 3; i <= 5; i++) await publish(i); // missed while away
      const second = watch();
      await second.until(() => second.err.includes('replayed 3 fixes of 77'));
      expect(second.err).toContain('watching 77, replaying 3 missed fixes');
      expect(second.lines().map((f) => f.offset)).toEqual([3, 4, 5]);
      second.child.kill('SIGINT');
      await second.exited;
      expect(JSON.parse(readFileSync(stateFile, 'utf8'))['77'].offset).toBe(5);
    } finally {
      publisher.disconnect();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** `npm run watch` as a child process, with its output so far. */
function watchProcess(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'relay/cli/watch.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const w = {
    child,
    out: '',
    err: '',
    exited: new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))),
    lines: () =>
      w.out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { offset?: number }),
    async until(check: () => boolean) {
      const deadline = Date.now() + 20_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`watch: condition not met; stderr: ${w.err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  child.stdout.on('data', (c: Buffer) => (w.out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (w.err += c.toString()));
  return w;
}
