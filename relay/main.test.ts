/**
 * `npm run relay` as a process: configuration errors, --help, and the SIGTERM drain.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELAY_OPTIONS } from './config.js';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import { connectStation, operatorToken, spawnRelay } from '../test/support/relay.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

let redis: PrivateRedis;
beforeAll(async () => {
  redis = await startPrivateRedis();
});
afterAll(() => redis.stop());

describe('relay process', () => {
  it('refuses to start without RELAY_SECRET', async () => {
    await expect(
      run(process.execPath, ['--import', 'tsx', 'relay/main.ts'], {
        cwd: ROOT,
        env: { ...process.env, RELAY_SECRET: '' },
      }),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('RELAY_SECRET') });
  });

  it('--help lists every option', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'relay/main.ts', '--help'], {
      cwd: ROOT,
    });
    for (const o of Object.values(RELAY_OPTIONS)) expect(stdout).toContain(o.env);
  });

  it('on SIGTERM stops accepting, closes stations with 1012 spread over the drain window, and exits 0', async () => {
    const relay = await spawnRelay({ REDIS_URL: redis.url, RELAY_DRAIN_MS: '1000' });
    const token = await operatorToken('*');
    const stations = await Promise.all(Array.from({ length: 5 }, () => connectStation(relay.wsUrl, token)));
    const closedAt: number[] = [];
    const codes = Promise.all(
      stations.map((s) =>
        s.closed.then((c) => {
          closedAt.push(Date.now());
          return c.code;
        }),
      ),
    );
    const signalled = Date.now();
    relay.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    // Draining: new stations are not accepted (the listener is closed), while existing ones are still being closed.
    expect(stations.filter((s) => s.ws.readyState === s.ws.OPEN).length).toBeGreaterThan(0);
    await expect(connectStation(relay.wsUrl, token)).rejects.toThrow(/ECONNREFUSED|refused/);
    expect(await codes).toEqual([1012, 1012, 1012, 1012, 1012]);
    const spread = Math.max(...closedAt) - Math.min(...closedAt);
    expect(spread).toBeGreaterThan(500); // spread over the 1 s window, not all at once
    expect(Math.max(...closedAt) - signalled).toBeLessThan(3000);
    expect(await relay.exited).toEqual({ code: 0, signal: null });
    expect(relay.output()).toContain('draining');
  });
});
