/**
 * `npm run demo` as a user runs it: by default with its own redis-server (the shared one stays untouched), it
 * prints a URL, the simulated members' fixes reach the station through the relay, and Ctrl-C (SIGINT) stops
 * everything. Without redis-server, or with its port taken, it says what to do, without a stack trace.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTrackStore } from '../electron/core/store/index.js';
import { DEMO_SHARED_REDIS_URL, demoSettings } from './lib/demo-settings.js';

const children: ReturnType<typeof spawn>[] = [];
/** Process groups started here (a terminal's foreground job), killed whole if a test left them running. */
const groups: number[] = [];
/** Private Redis ports of demos started here: in a group of their own, they outlive a demo killed outright. */
const redisPorts: number[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const group of groups) if (groupAlive(group)) process.kill(-group, 'SIGKILL');
  for (const port of redisPorts) {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.end('SHUTDOWN NOSAVE\r\n'));
    socket.on('error', () => undefined);
  }
});

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

function portRefused(port: number): Promise<boolean> {
  return new Promise<boolean>((r) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), r(false)));
    socket.once('error', () => r(true));
  });
}

function runDemo(env: Record<string, string>) {
  const { REDIS_URL: _shared, DEMO_REDIS: _mode, ...inherited } = process.env;
  const demo = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'demo.ts')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...inherited, DEMO_PORT: '0', DEMO_MEMBERS: '3', LOG_LEVEL: 'warn', ...env },
  });
  children.push(demo);
  let out = '';
  demo.stdout.on('data', (d: Buffer) => (out += d.toString()));
  demo.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return { demo, output: () => out };
}

describe('demoSettings', () => {
  it.each([
    [{}, { redis: { kind: 'private' }, port: 5180, members: 4, dataDir: undefined, history: true }],
    [{ DEMO_HISTORY: 'none' }, { history: false }],
    [{ DEMO_HISTORY: 'yesterday' }, { history: true }],
    [{ DEMO_REDIS: 'private' }, { redis: { kind: 'private' } }],
    [{ DEMO_REDIS: 'shared' }, { redis: { kind: 'shared', url: DEMO_SHARED_REDIS_URL } }],
    [{ REDIS_URL: 'redis://10.0.0.5:6380' }, { redis: { kind: 'shared', url: 'redis://10.0.0.5:6380' } }],
    [{ REDIS_URL: 'redis://h:1', DEMO_REDIS: 'shared' }, { redis: { kind: 'shared', url: 'redis://h:1' } }],
    [
      { DEMO_PORT: '0', DEMO_MEMBERS: '50', DEMO_DATA_DIR: '/tmp/x' },
      { port: 0, members: 50, dataDir: '/tmp/x' },
    ],
    [
      { DEMO_PORT: '', DEMO_REDIS: '' },
      { port: 5180, redis: { kind: 'private' } },
    ],
  ])('%j gives %o', (env, expected) => {
    expect(demoSettings(env)).toEqual({ ok: true, value: expect.objectContaining(expected) });
  });

  it.each([
    [{ DEMO_REDIS: 'yes' }, 'DEMO_REDIS must be "private" (the default) or "shared"'],
    [{ REDIS_URL: 'redis://h:1', DEMO_REDIS: 'private' }, 'unset one of them'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL must start with redis://'],
    [{ DEMO_PORT: '70000' }, 'DEMO_PORT must be a port number'],
    [{ DEMO_MEMBERS: '0' }, 'DEMO_MEMBERS must be a whole number from 1 to 50'],
    [{ DEMO_HISTORY: 'week' }, 'DEMO_HISTORY must be "yesterday" (the default) or "none"'],
  ])('%j is refused: %s', (env, message) => {
    const result = demoSettings(env);
    expect(result.ok ? '' : result.message).toContain(message);
  });
});

describe('npm run demo', () => {
  it('runs the whole pipeline on a private Redis by default and stops on Ctrl-C', async () => {
    const { demo, output } = runDemo({});
    const deadline = Date.now() + 60_000;
    let match: RegExpMatchArray | null = null;
    while (!(match = output().match(/(http:\/\/127\.0\.0\.1:\d+)\/#key=([A-Za-z0-9_-]+)/))) {
      if (Date.now() > deadline || demo.exitCode !== null)
        throw new Error(`demo did not print its URL:\n${output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const [, origin, key] = match;
    const redisPort = output().match(/private redis-server on port (\d+)/)?.[1];
    expect(redisPort).toBeDefined();
    redisPorts.push(Number(redisPort));
    expect(output()).toContain(`Redis: redis://127.0.0.1:${redisPort}`);

    // Live fixes, not the generated yesterday the demo writes first: only fixes from this run count.
    const startedAt = Date.now() - 60_000;
    let latest: { uid: string; ts: number }[] = [];
    while (latest.filter((f) => f.ts > startedAt).length < 3) {
      if (Date.now() > deadline) throw new Error(`no fixes reached the station:\n${output()}`);
      await new Promise((r) => setTimeout(r, 250));
      const response = await fetch(`${origin}/api/call/latest`, {
        method: 'POST',
        headers: { 'x-lodestar-key': key ?? '' },
        body: '{"args":[]}',
      });
      latest = ((await response.json()) as { result: { uid: string; ts: number }[] }).result;
    }
    expect(latest.map((f) => f.uid).sort()).toEqual(['42', '43', '44']);
    // Yesterday's generated day of each member is in the station's store for the history view.
    const midnight = new Date();
    midnight.setHours(0, 0, 0, 0);
    for (const uid of ['42', '43', '44']) {
      const reply = (await (
        await fetch(`${origin}/api/call/stats`, {
          method: 'POST',
          headers: { 'x-lodestar-key': key ?? '' },
          body: JSON.stringify({
            args: [{ uid, from: midnight.getTime() - 86_400_000, to: midnight.getTime() - 1 }],
          }),
        })
      ).json()) as { result: { count: number } };
      // A shift of at least 8 hours at 1 Hz, less its 30-minute dropout.
      expect(reply.result.count).toBeGreaterThan(8 * 3600 - 1800 - 1);
    }
    const status = (await (
      await fetch(`${origin}/api/call/getStatus`, {
        method: 'POST',
        headers: { 'x-lodestar-key': key ?? '' },
      })
    ).json()) as { result: { state: string } };
    expect(status.result.state).toBe('connected');

    const exited = once(demo, 'exit');
    demo.kill('SIGINT');
    const [code] = (await exited) as [number];
    expect(code).toBe(0);
    expect(output()).toContain('stopping');
    // The private redis-server went with it.
    const refused = await new Promise<boolean>((r) => {
      const socket = createConnection({ host: '127.0.0.1', port: Number(redisPort) });
      socket.once('connect', () => (socket.destroy(), r(false)));
      socket.once('error', () => r(true));
    });
    expect(refused).toBe(true);
  }, 90_000);

  it('`npm run demo` in a terminal: Ctrl-C to its process group stops every process and closes the store', async () => {
    // As a terminal runs it: npm, its shell and the demo in one foreground process group, which Ctrl-C signals whole.
    const dataDir = mkdtempSync(resolve(tmpdir(), 'lodestar-demo-stop-'));
    const startedAt = Date.now();
    const { REDIS_URL: _shared, DEMO_REDIS: _mode, ...inherited } = process.env;
    const npm = spawn('npm', ['run', '--silent', 'demo'], {
      cwd: resolve(import.meta.dirname, '..'),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...inherited,
        DEMO_PORT: '0',
        // With the generated yesterday (the default): its store takes a moment to close, during which a Redis
        // that got the Ctrl-C too is gone, as it was for the user who saw the demo hang.
        DEMO_MEMBERS: '1',
        DEMO_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
    });
    const group = npm.pid ?? 0;
    groups.push(group);
    let out = '';
    npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
    npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = once(npm, 'exit');

    const deadline = Date.now() + 60_000;
    let match: RegExpMatchArray | null = null;
    while (!(match = out.match(/(http:\/\/127\.0\.0\.1:\d+)\/#key=([A-Za-z0-9_-]+)/))) {
      if (Date.now() > deadline || npm.exitCode !== null)
        throw new Error(`demo did not print its URL:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const [, origin, key] = match;
    const redisPort = Number(out.match(/private redis-server on port (\d+)/)?.[1]);
    redisPorts.push(redisPort);
    // Live fixes in the station: the relay's subscriber and the station's link are up, as when a user stops it.
    let live = 0;
    while (live === 0) {
      if (Date.now() > deadline) throw new Error(`no fixes reached the station:\n${out}`);
      await new Promise((r) => setTimeout(r, 250));
      const response = await fetch(`${origin}/api/call/latest`, {
        method: 'POST',
        headers: { 'x-lodestar-key': key ?? '' },
        body: '{"args":[]}',
      });
      const { result } = (await response.json()) as { result: { ts: number }[] };
      live = result.filter((f) => f.ts >= startedAt).length;
    }

    const stoppedAt = Date.now();
    process.kill(-group, 'SIGINT');
    // npm, once its child has exited, ends itself with the signal it got, as a shell expects of an interrupted job.
    const ending = await Promise.race([
      exited.then(([code, signal]) => signal ?? code),
      new Promise((r) => setTimeout(r, 20_000, 'still running')),
    ]);
    expect({ ending, out: out.slice(out.indexOf('stopping')) }).toEqual({
      ending: 'SIGINT',
      out: 'stopping…\n',
    });
    expect(Date.now() - stoppedAt).toBeLessThan(20_000);
    expect(groupAlive(group)).toBe(false);
    expect(await portRefused(redisPort)).toBe(true);

    // The store was closed, not cut off: its write-ahead log checkpointed and removed, members and fixes readable.
    expect(existsSync(resolve(dataDir, 'lodestar.db-wal'))).toBe(false);
    const store = openTrackStore({ dir: dataDir });
    try {
      expect(store.listWatched().map((m) => m.uid)).toEqual(['42']);
      // A live fix of this run, not only the generated yesterday.
      expect(store.latest().map((f) => [f.uid, f.ts >= startedAt])).toEqual([['42', true]]);
    } finally {
      await store.close();
    }
  }, 90_000);

  it('without redis-server on PATH, says how to install it or to set REDIS_URL, and exits 1', async () => {
    const { demo, output } = runDemo({ PATH: mkdtempSync(resolve(tmpdir(), 'lodestar-empty-path-')) });
    const [code] = (await once(demo, 'exit')) as [number];
    expect(code).toBe(1);
    expect(output()).toContain('sudo apt-get install redis-server');
    expect(output()).toContain('brew install redis');
    expect(output()).toContain('REDIS_URL=redis://');
    expect(output()).not.toMatch(/\n\s+at /);
  });

  it('with the station port taken, names DEMO_PORT, stops its private Redis and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { demo, output } = runDemo({ DEMO_PORT: String(port) });
      const [code] = (await once(demo, 'exit')) as [number];
      expect(code).toBe(1);
      expect(output()).toContain(`port ${port} is already in use`);
      expect(output()).toContain('set DEMO_PORT');
      expect(output()).not.toMatch(/\n\s+at /);
      const redisPort = output().match(/private redis-server on port (\d+)/)?.[1];
      const refused = await new Promise<boolean>((r) => {
        const socket = createConnection({ host: '127.0.0.1', port: Number(redisPort) });
        socket.once('connect', () => (socket.destroy(), r(false)));
        socket.once('error', () => r(true));
      });
      expect(refused).toBe(true);
    } finally {
      blocker.close();
    }
  }, 60_000);
});
