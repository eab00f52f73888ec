/**
 * Run a real relay for tests: in-process (`startTestRelay`) or as a child process (`spawnRelay`, for signals and
 * exit codes), plus a small test station client that records every frame. Real Redis and real sockets: pair it
 * with `startPrivateRedis()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import WebSocket from 'ws';
import type { ServerMessage } from '../../protocol/messages.js';
import type { MemberScope } from '../../protocol/token.js';
import { type RelayOptions, type RunningRelay, startRelay } from '../../relay/app.js';
import { signMemberToken, signOperatorToken } from '../../relay/auth/tokens.js';
import { freePort } from './ports.js';

export const TEST_SECRET = 'lodestar-test-secret-0123456789';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A relay on a free port of 127.0.0.1 with a unique key prefix, silent logs and a short drain. */
export function startTestRelay(options: Partial<RelayOptions> & { redisUrl: string }): Promise<RunningRelay> {
  return startRelay({
    secret: TEST_SECRET,
    host: '127.0.0.1',
    port: 0,
    keyPrefix: `test:${randomBytes(4).toString('hex')}:`,
    drainMs: 200,
    logger: pino({ level: process.env.TEST_RELAY_LOG ?? 'silent' }),
    ...options,
  });
}

export function operatorToken(members: MemberScope, ttlSeconds = 3600, sub = 'op', secret = TEST_SECRET) {
  return signOperatorToken(secret, { sub, members, ttlSeconds });
}

export function memberToken(uid: string, ttlSeconds = 3600, secret = TEST_SECRET) {
  return signMemberToken(secret, { uid, ttlSeconds });
}

export interface TestStation {
  ws: WebSocket;
  /** Every parsed frame received so far, in order. */
  received: ServerMessage[];
  /** Resolves with the first received message (already received or future) matching `match`. */
  next<T extends ServerMessage['type']>(
    type: T,
    match?: (m: Extract<ServerMessage, { type: T }>) => boolean,
    timeoutMs?: number,
  ): Promise<Extract<ServerMessage, { type: T }>>;
  /** Messages of one type received so far. */
  all<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[];
  send(message: unknown): void;
  /** Resolves with the close code and reason once the socket closes. */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/** Connect a station and wait for `welcome`. Pass the token as header (default) or query parameter. */
export async function connectStation(
  wsUrl: string,
  token: string,
  via: 'header' | 'query' = 'header',
): Promise<TestStation> {
  const url = via === 'query' ? `${wsUrl}/?token=${encodeURIComponent(token)}` : wsUrl;
  const ws = new WebSocket(url, via === 'header' ? { headers: { authorization: `Bearer ${token}` } } : {});
  const received: ServerMessage[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    received.push(JSON.parse(data.toString()) as ServerMessage);
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const w of [...waiters]) w();
    }),
  );
  const station: TestStation = {
    ws,
    received,
    all: (type) => received.filter((m) => m.type === type) as never,
    next(type, match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        let index = 0;
        const check = () => {
          for (; index < received.length; index++) {
            const m = received[index] as ServerMessage;
            if (m.type === type && (!match || match(m as never))) {
              cleanup();
              resolve(m as never);
              return;
            }
          }
          if (ws.readyState === ws.CLOSED) {
            cleanup();
            reject(new Error(`socket closed while waiting for ${type}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${type}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    closed,
    async close() {
      if (ws.readyState !== ws.CLOSED) {
        ws.close();
        await closed;
      }
    },
  };
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`upgrade refused with ${res.statusCode}`)),
    );
  });
  await station.next('welcome');
  return station;
}

/** Try an upgrade and return the HTTP refusal: status and JSON body. */
export function refusedUpgrade(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined });
        ws.terminate();
      });
    });
    ws.once('error', () => undefined);
  });
}

export interface SpawnedRelay {
  child: ChildProcess;
  port: number;
  httpUrl: string;
  wsUrl: string;
  /** Everything the process wrote to stdout/stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `npm run relay` as a child process (via tsx), ready once it logs "relay listening". `root`: the checkout to run it
 * from (a bench compares this one with another commit's worktree).
 */
export async function spawnRelay(
  env: Record<string, string>,
  args: string[] = [],
  nodeArgs: string[] = [],
  root: string | URL = ROOT,
): Promise<SpawnedRelay> {
  const port = Number(env.RELAY_PORT ?? (await freePort()));
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'relay/main.ts', ...args], {
    cwd: root,
    env: {
      ...process.env,
      RELAY_SECRET: TEST_SECRET,
      RELAY_HOST: '127.0.0.1',
      RELAY_PORT: String(port),
      RELAY_KEY_PREFIX: `test:${randomBytes(4).toString('hex')}:`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const deadline = Date.now() + 20_000;
  while (!output.includes('relay listening')) {
    if (child.exitCode !== null) throw new Error(`relay exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`relay did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    port,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    output: () => output,
    exited,
  };
}
