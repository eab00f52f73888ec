/**
 * A private redis-server for one test file: tests that stop, restart or flush Redis must never touch the shared
 * one on 6379. No persistence, so a restart loses everything (which some tests want).
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
  /** Start it again on the same port, empty. */
  start(): Promise<void>;
  readonly running: boolean;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 200; i++) {
      if (await ping(port)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`redis-server on port ${port} did not start`);
  }

  async function stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
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
