/**
 * docs/php.md's code, run by php-cli + php-redis: a fix published from PHP reaches a station, and a token minted in
 * PHP opens a station connection. Skipped (with the reason printed) only where php or its redis extension is missing.
 */
import { execFileSync, execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from './app.js';
import { verifyToken } from './auth/tokens.js';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import { TEST_SECRET, connectStation, operatorToken, startTestRelay } from '../test/support/relay.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

function phpWithRedis(): string | undefined {
  try {
    const modules = execFileSync('php', ['-m'], { encoding: 'utf8' });
    return /^redis$/m.test(modules)
      ? undefined
      : 'the php redis extension is not installed (apt-get install php-redis)';
  } catch {
    return 'php is not installed (apt-get install php-cli php-redis)';
  }
}
const missing = phpWithRedis();
if (missing) process.stderr.write(`php-interop: skipped: ${missing}\n`);

const php = (code: string, env: Record<string, string> = {}) =>
  run('php', ['-r', code], { cwd: ROOT, env: { ...process.env, ...env } });

describe.skipIf(missing !== undefined)('docs/php.md', () => {
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

  it('includes the tested PHP files verbatim', () => {
    const doc = readFileSync(`${ROOT}docs/php.md`, 'utf8');
    for (const file of [
      'docs/php/publish-fix.php',
      'docs/php/operator-token.php',
      'docs/php/position-fix.php',
    ]) {
      expect(doc).toContain(readFileSync(`${ROOT}${file}`, 'utf8').trim());
    }
  });

  it("the seed's plain publish, with input()'s strings, reaches a station", async () => {
    const station = await connectStation(relay.wsUrl, await operatorToken(['42']));
    station.send({ type: 'watch', members: [{ uid: '42' }] });
    await station.next('watched');
    await php(
      `$r = new Redis(); $r->connect('127.0.0.1', ${redis.port});
       $r->publish('location_update', json_encode(['uid' => 42, 'longitude' => '113.324520', 'latitude' => '23.099994']));`,
    );
    expect((await station.next('fix')).fix).toMatchObject({
      uid: '42',
      lon: 113.32452,
      lat: 23.099994,
      crs: 'gcj02',
    });
    await station.close();
  });

  it('lodestar_publish_fix reaches a station with ts, crs and the wx fields', async () => {
    const station = await connectStation(relay.wsUrl, await operatorToken(['43']));
    station.send({ type: 'watch', members: [{ uid: '43' }] });
    await station.next('watched');
    const ts = Date.now() - 2000;
    const { stdout } = await php(
      `require 'docs/php/publish-fix.php';
       $r = new Redis(); $r->connect('127.0.0.1', ${redis.port});
       echo lodestar_publish_fix($r, 43, ['longitude' => '116.4', 'latitude' => '39.9', 'ts' => '${ts}',
         'speed' => '1.5', 'accuracy' => 65, 'direction' => 90, 'errMsg' => 'onLocationChange:ok']);`,
    );
    expect(stdout).toBe('1'); // one subscriber: the relay
    expect((await station.next('fix')).fix).toEqual({
      uid: '43',
      lon: 116.4,
      lat: 39.9,
      ts,
      crs: 'gcj02',
      speed: 1.5,
      accuracy: 65,
      heading: 90,
      epoch: expect.any(String),
      offset: 1,
    });
    await station.close();
  });

  it('lodestar_operator_token mints a token the relay accepts, scoped to its members', async () => {
    const { stdout: token } = await php(
      `require 'docs/php/operator-token.php'; echo lodestar_operator_token(getenv('RELAY_SECRET'), 'alice', [42, 43], 3600);`,
      { RELAY_SECRET: TEST_SECRET },
    );
    expect(await verifyToken(TEST_SECRET, token, 'operator')).toMatchObject({
      ok: true,
      claims: { sub: 'alice', members: ['42', '43'] },
    });
    const station = await connectStation(relay.wsUrl, token, 'query');
    expect(station.received[0]).toMatchObject({ type: 'welcome', operator: 'alice', members: ['42', '43'] });
    station.send({ type: 'watch', members: [{ uid: '44' }] });
    expect(await station.next('error')).toMatchObject({ code: 'forbidden', uid: '44' });
    await station.close();
  });

  it('a token minted in PHP with another secret is refused', async () => {
    const { stdout: token } = await php(
      `require 'docs/php/operator-token.php'; echo lodestar_operator_token('not-the-relay-secret-000', 'eve', '*', 3600);`,
    );
    await expect(connectStation(relay.wsUrl, token)).rejects.toThrow(/401/);
  });
});
