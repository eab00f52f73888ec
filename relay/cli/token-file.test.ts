/**
 * The README's token recipes as written, through npm itself: `--out FILE` writes the token alone with mode 0600;
 * `npm run token … > file` without -s puts npm's banner in the file, and `npm run watch --token-file` and the
 * browser host then say so in one sentence instead of failing on a header; with `npm run -s` the file works.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../app.js';
import { verifyToken } from '../auth/tokens.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import { TEST_SECRET, startTestRelay } from '../../test/support/relay.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const exec = promisify(execFile);
const env = { ...process.env, RELAY_SECRET: TEST_SECRET, LODESTAR_TOKEN: '', LODESTAR_TOKEN_FILE: '' };
const dir = mkdtempSync(join(tmpdir(), 'lodestar-token-file-'));

let redis: PrivateRedis;
let relay: RunningRelay;

beforeAll(async () => {
  redis = await startPrivateRedis();
  relay = await startTestRelay({ redisUrl: redis.url });
});
afterAll(async () => {
  await relay.close({ drainMs: 0 });
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A shell line run from the project root, as a reader of the README types it. */
const shell = (line: string) => exec('bash', ['-c', line], { cwd: ROOT, env });

/** `npm run watch` with a token file, until it prints `welcome` or exits. */
async function watchWith(file: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'relay/cli/watch.ts', '--url', relay.wsUrl, '--token-file', file, '--member', '1'],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const deadline = Date.now() + 20_000;
  while (child.exitCode === null && !stderr.includes('welcome') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  if (child.exitCode === null) child.kill('SIGTERM');
  return { code: await exited, stderr };
}

describe('token files', () => {
  it('npm run -s token -- … --out FILE writes the token alone, mode 0600, even over a wider file', async () => {
    const file = join(dir, 'out.token');
    writeFileSync(file, 'old', { mode: 0o644 });
    await shell(`npm run -s token -- operator --id alice --members '*' --out ${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')).toHaveLength(2);
    expect((await verifyToken(TEST_SECRET, text.trim(), 'operator')).ok).toBe(true);
    const watched = await watchWith(file);
    expect(watched.stderr).toContain('welcome');
  }, 60_000);

  it('a file with npm’s banner is refused by watch and the browser host in one sentence', async () => {
    const file = join(dir, 'banner.token');
    await shell(`npm run token -- operator --id alice --members '*' > ${file}`);
    expect(readFileSync(file, 'utf8')).toMatch(/^> /m);

    const watched = await watchWith(file);
    expect(watched.code).toBe(2);
    expect(watched.stderr).toContain('the token file holds more than one JWT line');

    const host = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'electron/web/main.ts',
        '--data-dir',
        join(dir, 'station'),
        '--port',
        '0',
        '--token-file',
        file,
      ],
      { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    host.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const [code] = (await once(host, 'exit')) as [number];
    expect(code).toBe(2);
    expect(stderr).toContain('the token file holds more than one JWT line');
  }, 60_000);

  it('npm run -s token … > FILE (the README recipe) gives a file watch uses', async () => {
    const file = join(dir, 'silent.token');
    await shell(`npm run -s token -- operator --id alice --members '*' > ${file}`);
    const watched = await watchWith(file);
    expect(watched.stderr).toContain('welcome');
  }, 60_000);
});
