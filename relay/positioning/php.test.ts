/**
 * The PHP positioning snippet of docs/php.md (docs/php/position-fix.php), run as is with php-cli + phpredis against a private redis-server,
 * interleaved with the relay's own positioning: one history, one epoch, offsets by one, whoever positions.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionedFix } from '../../protocol/fix.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import { parsePositionedMessage } from './positioned-message.js';
import { createPositioning, POSITION_SCRIPT, type Positioning } from './positioning.js';

const DOC = readFileSync(new URL('../../docs/php.md', import.meta.url), 'utf8');
const SNIPPET = readFileSync(new URL('../../docs/php/position-fix.php', import.meta.url), 'utf8');
const php = spawnSync('php', ['-r', 'echo extension_loaded("redis") ? "yes" : "no";'], { encoding: 'utf8' });
const hasPhpRedis = php.status === 0 && php.stdout === 'yes';
if (!hasPhpRedis)
  console.warn('php-cli with php-redis is not installed (apt-get install php-cli php-redis): skipping');

describe.skipIf(!hasPhpRedis)('PHP positioning snippet (docs/php.md, docs/php/position-fix.php)', () => {
  let server: PrivateRedis;
  let redis: Redis;
  let positioning: Positioning;
  let dir: string;
  let runner: string;

  /** Run the snippet once per fix given; prints one JSON line per fix (null when already positioned). */
  function runPhp(fixes: { fix: Record<string, unknown>; key: string }[]): (PositionedFix | null)[] {
    const input = JSON.stringify(fixes);
    const result = spawnSync('php', [runner, String(server.port)], { input, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as PositionedFix | null);
  }

  beforeAll(async () => {
    expect(DOC, 'docs/php.md shows docs/php/position-fix.php verbatim').toContain(SNIPPET.trim());
    server = await startPrivateRedis();
    redis = new Redis(server.url);
    positioning = createPositioning(redis);
    dir = mkdtempSync(join(tmpdir(), 'lodestar-php-'));
    writeFileSync(join(dir, 'position.lua'), POSITION_SCRIPT);
    writeFileSync(join(dir, 'snippet.php'), SNIPPET);
    runner = join(dir, 'run.php');
    writeFileSync(
      runner,
      `<?php
require __DIR__ . '/snippet.php';
$redis = new Redis();
$redis->connect('127.0.0.1', (int) $argv[1]);
$script = file_get_contents(__DIR__ . '/position.lua');
foreach (json_decode(stream_get_contents(STDIN), true) as $call) {
    echo json_encode(lodestar_position($redis, $script, $call['fix'], $call['key']), JSON_UNESCAPED_SLASHES), "\\n";
}
`,
    );
  });

  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads the script on NOSCRIPT, positions PHP input() strings, and shares one history with the relay', async () => {
    const sha = createHash('sha1').update(POSITION_SCRIPT).digest('hex');
    expect(await redis.script('EXISTS', sha)).toEqual([0]);
    const subscriber = new Redis(server.url);
    const published: string[] = [];
    subscriber.on('message', (_c: string, m: string) => published.push(m));
    await subscriber.subscribe(positioning.options.positionedChannel);

    const first = await positioning.position(
      { uid: '42', lat: 23, lon: 113, ts: 1_700_000_000_000, crs: 'gcj02' },
      'relay-1',
    );
    const [fromPhp] = runPhp([
      {
        fix: { uid: 42, longitude: '113.264385', latitude: '23.129112', ts: '1700000001000', cid: 'c9' },
        key: 'cid:42:c9',
      },
    ]);
    expect(await redis.script('EXISTS', sha)).toEqual([1]);
    const third = await positioning.position(
      { uid: '42', lat: 23, lon: 113, ts: 1_700_000_002_000, crs: 'gcj02' },
      'relay-3',
    );

    expect(fromPhp).toEqual({
      uid: '42',
      lat: 23.129112,
      lon: 113.264385,
      ts: 1_700_000_001_000,
      crs: 'gcj02',
      cid: 'c9',
      epoch: first!.epoch,
      offset: 2,
    });
    expect(third).toMatchObject({ epoch: first!.epoch, offset: 3 });
    expect(await positioning.latest('42')).toEqual(third);
    const replay = await positioning.catchup('42', { epoch: first!.epoch, offset: 1 });
    expect(replay.fixes).toEqual([fromPhp, third]);

    await expect.poll(() => published.length).toBe(3);
    const parsed = parsePositionedMessage(published[1]!);
    expect(parsed).toEqual({ ok: true, value: fromPhp });
    subscriber.disconnect();
  });

  it('positions a retried upload once: the same key from PHP and from the relay', async () => {
    const fix = { uid: '7', longitude: '113.3', latitude: '23.1', ts: '1700000005000', cid: 'retry-1' };
    const [once, again] = runPhp([
      { fix, key: 'cid:7:retry-1' },
      { fix, key: 'cid:7:retry-1' },
    ]);
    expect(once).toMatchObject({ uid: '7', offset: 1 });
    expect(again).toBeNull();
    // The relay's key for a raw message with this cid is the same, so the raw path would be a duplicate too.
    const relay = await positioning.position(
      { uid: '7', lat: 23.1, lon: 113.3, ts: 1_700_000_005_000, crs: 'gcj02', cid: 'retry-1' },
      'cid:7:retry-1',
    );
    expect(relay).toBeNull();
  });

  it('refuses bad input in PHP with an exception, positioning nothing', () => {
    const result = spawnSync('php', [runner, String(server.port)], {
      input: JSON.stringify([{ fix: { uid: '8', longitude: '', latitude: '23' }, key: 'k' }]),
      encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/latitude\/longitude missing or out of range/);
  });
});
