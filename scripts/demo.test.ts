/**
 * `npm run demo` as a user runs it (with a private Redis so the shared one stays untouched): it prints a URL,
 * the simulated members' fixes reach the station through the relay, and Ctrl-C (SIGINT) stops everything.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const demo = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'demo.ts')], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, DEMO_REDIS: 'private', DEMO_PORT: '0', DEMO_MEMBERS: '3', LOG_LEVEL: 'warn' },
});
let out = '';
demo.stdout.on('data', (d: Buffer) => (out += d.toString()));
demo.stderr.on('data', (d: Buffer) => (out += d.toString()));

afterAll(() => {
  if (demo.exitCode === null) demo.kill('SIGKILL');
});

it('runs the whole pipeline and stops on Ctrl-C', async () => {
  const deadline = Date.now() + 60_000;
  let match: RegExpMatchArray | null = null;
  while (!(match = out.match(/(http:\/\/127\.0\.0\.1:\d+)\/#key=([A-Za-z0-9_-]+)/))) {
    if (Date.now() > deadline || demo.exitCode !== null)
      throw new Error(`demo did not print its URL:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const [, origin, key] = match;
  const redisPort = out.match(/private redis-server on port (\d+)/)?.[1];
  expect(redisPort).toBeDefined();

  let latest: { uid: string; ts: number }[] = [];
  while (latest.length < 3) {
    if (Date.now() > deadline) throw new Error(`no fixes reached the station:\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
    const response = await fetch(`${origin}/api/call/latest`, {
      method: 'POST',
      headers: { 'x-lodestar-key': key ?? '' },
      body: '{"args":[]}',
    });
    latest = ((await response.json()) as { result: { uid: string; ts: number }[] }).result;
  }
  expect(latest.map((f) => f.uid).sort()).toEqual(['42', '43', '44']);
  const status = (await (
    await fetch(`${origin}/api/call/getStatus`, { method: 'POST', headers: { 'x-lodestar-key': key ?? '' } })
  ).json()) as { result: { state: string } };
  expect(status.result.state).toBe('connected');

  const exited = once(demo, 'exit');
  demo.kill('SIGINT');
  const [code] = (await exited) as [number];
  expect(code).toBe(0);
  expect(out).toContain('stopping');
  // The private redis-server went with it.
  const { createConnection } = await import('node:net');
  const refused = await new Promise<boolean>((r) => {
    const socket = createConnection({ host: '127.0.0.1', port: Number(redisPort) });
    socket.once('connect', () => (socket.destroy(), r(false)));
    socket.once('error', () => r(true));
  });
  expect(refused).toBe(true);
}, 90_000);
