/**
 * `npm run station:web` as real processes: it prints its URL, a second station on the same data folder is refused
 * with STORE_LOCKED, SIGTERM stops it cleanly, and bad flags stop it with a sentence and the help.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const main = resolve(import.meta.dirname, 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'lodestar-web-main-'));
const children: ChildProcess[] = [];

function run(args: string[]): { child: ChildProcess; out: () => string; err: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn', LODESTAR_TOKEN: '', LODESTAR_TOKEN_FILE: '' },
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return { child, out: () => out, err: () => err };
}

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('station:web process', () => {
  it('runs, refuses a second station on its folder, and stops cleanly on SIGTERM', async () => {
    const args = ['--data-dir', dir, '--port', '0', '--relay-url', 'ws://127.0.0.1:1', '--token', 'x'];
    const first = run(args);
    await until(() => /http:\/\/127\.0\.0\.1:\d+\/#key=/.test(first.out()));

    const second = run(args);
    const [code] = (await once(second.child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(second.err()).toContain('STORE_LOCKED');

    const exited = once(first.child, 'exit');
    first.child.kill('SIGTERM');
    const [firstCode] = (await exited) as [number];
    expect(firstCode).toBe(0);
  }, 60_000);

  it.each([
    [['--port', 'eighty'], /--port/],
    [['--bogus'], /bogus/],
  ])(
    'refuses %j with a sentence and the help',
    async (args, message) => {
      const bad = run(args);
      const [code] = (await once(bad.child, 'exit')) as [number];
      expect(code).toBe(2);
      expect(bad.err()).toMatch(message);
      expect(bad.err()).toContain('Usage: npm run station:web');
    },
    30_000,
  );
});
