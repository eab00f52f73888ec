/**
 * A private redis-server: for a test file that stops, restarts or flushes Redis (never the shared one on 6379), and
 * for `npm run demo`, which must not write into a Redis others use. No persistence by default, so a restart loses
 * everything (which some tests want); `aofDir` keeps an append-only file instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { freePort } from './ports.js';

export interface PrivateRedis {
  port: number;
  url: string;
  /** Stop the server (SIGKILL by default, as a crash would). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Start it again on the same port: empty, or with what its append-only file kept (`aofDir`). */
  start(): Promise<void>;
  readonly running: boolean;
}

/** `redis-server` is not installed (not on PATH). */
export class RedisServerNotFound extends Error {
  readonly code = 'REDIS_SERVER_NOT_FOUND';
  constructor(readonly binary: string) {
    super(`${binary} was not found on PATH`);
  }
}

export function redisAnswers(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const timer = setTimeout(() => (socket.destroy(), resolve(false)), timeoutMs);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => (clearTimeout(timer), resolve(false)));
  });
}

export interface PrivateRedisOptions {
  /** The server binary (default `redis-server`, looked up on PATH). */
  binary?: string;
  /**
   * Keep an append-only file (`appendfsync everysec`, Redis's default) in this directory, so a restart comes back
   * with what was fsynced: a SIGKILL loses at most the last second of writes, as a crash would.
   */
  aofDir?: string;
  /**
   * Run it in a process group of its own, so a terminal's Ctrl-C (SIGINT to the foreground group) reaches only its
   * owner, which stops it last, after the parts that use it have closed. The owner's exit, however it ends short of
   * SIGKILL, takes it along.
   */
  ownProcessGroup?: boolean;
}

export async function startPrivateRedis(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const binary = options.binary ?? 'redis-server';
  const port = await freePort();
  let child: ChildProcess | undefined;
  const persistence = options.aofDir
    ? ['--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', options.aofDir]
    : ['--appendonly', 'no'];

  async function start(): Promise<void> {
    const started = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence],
      { stdio: 'ignore', detached: options.ownProcessGroup ?? false },
    );
    child = started;
    if (options.ownProcessGroup) {
      const killAtExit = () => started.kill('SIGKILL');
      process.once('exit', killAtExit);
      started.once('exit', () => process.off('exit', killAtExit));
    }
    let failure: Error | undefined;
    started.once('error', (error: NodeJS.ErrnoException) => {
      failure = error.code === 'ENOENT' ? new RedisServerNotFound(binary) : error;
    });
    started.once('exit', (code, signal) => {
      failure ??= new Error(`${binary} on port ${port} exited at start (${signal ?? `code ${code}`})`);
    });
    for (let i = 0; i < 200; i++) {
      if (failure) {
        child = undefined;
        throw failure;
      }
      if (await redisAnswers(port)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${binary} on port ${port} did not start`);
  }

  async function stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = once(c, 'exit');
    c.kill(signal);
    await exited;
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    get running() {
      return child !== undefined && child.exitCode === null;
    },
  };
}
