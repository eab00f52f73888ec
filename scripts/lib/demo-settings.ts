/**
 * What `npm run demo` does with its environment, decided up front by pure functions (table-tested in
 * scripts/demo.test.ts), and the sentences it says when something is missing. scripts/demo.ts is the shell.
 */

export type DemoRedis = { kind: 'private' } | { kind: 'shared'; url: string };

export interface DemoSettings {
  redis: DemoRedis;
  /** Station page port; 0 picks a free one. */
  port: number;
  members: number;
  dataDir: string | undefined;
  /** Write a generated yesterday for each member into the station first, so History has a day to show. */
  history: boolean;
}

export const DEMO_DEFAULT_PORT = 5180;
export const DEMO_SHARED_REDIS_URL = 'redis://127.0.0.1:6379';

export type DemoSettingsResult = { ok: true; value: DemoSettings } | { ok: false; message: string };

/**
 * The demo writes into Redis (fixes, positions, member streams), so it uses a Redis others share only when asked:
 * REDIS_URL names one, DEMO_REDIS=shared takes 127.0.0.1:6379; otherwise it starts its own redis-server.
 */
export function demoSettings(env: Record<string, string | undefined>): DemoSettingsResult {
  const mode = env.DEMO_REDIS?.trim() || undefined;
  if (mode !== undefined && mode !== 'private' && mode !== 'shared')
    return { ok: false, message: `DEMO_REDIS must be "private" (the default) or "shared", got "${mode}"` };
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if (redisUrl !== undefined && mode === 'private')
    return {
      ok: false,
      message:
        'REDIS_URL names a Redis to use, but DEMO_REDIS=private asks for a private one: unset one of them',
    };
  if (redisUrl !== undefined && !/^rediss?:\/\/./.test(redisUrl))
    return { ok: false, message: `REDIS_URL must start with redis:// or rediss://, got "${redisUrl}"` };
  const redis: DemoRedis =
    redisUrl !== undefined
      ? { kind: 'shared', url: redisUrl }
      : mode === 'shared'
        ? { kind: 'shared', url: DEMO_SHARED_REDIS_URL }
        : { kind: 'private' };

  const portText = env.DEMO_PORT?.trim() || String(DEMO_DEFAULT_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535)
    return {
      ok: false,
      message: `DEMO_PORT must be a port number from 0 to 65535 (0: any free one), got "${portText}"`,
    };

  const membersText = env.DEMO_MEMBERS?.trim() || '4';
  const members = Number(membersText);
  if (!/^\d+$/.test(membersText) || members < 1 || members > 50)
    return { ok: false, message: `DEMO_MEMBERS must be a whole number from 1 to 50, got "${membersText}"` };

  const historyText = env.DEMO_HISTORY?.trim() || 'yesterday';
  if (historyText !== 'yesterday' && historyText !== 'none')
    return {
      ok: false,
      message: `DEMO_HISTORY must be "yesterday" (the default) or "none", got "${historyText}"`,
    };

  return {
    ok: true,
    value: {
      redis,
      port,
      members,
      dataDir: env.DEMO_DATA_DIR?.trim() || undefined,
      history: historyText === 'yesterday',
    },
  };
}

export const REDIS_SERVER_MISSING = [
  'npm run demo starts its own redis-server, but none was found on PATH. Install it:',
  '  Debian/Ubuntu:  sudo apt-get install redis-server',
  '  macOS:          brew install redis',
  'or use a Redis you already run: REDIS_URL=redis://host:6379 npm run demo',
  '(the demo then publishes on its location_update channel and writes lodestar:* keys there).',
].join('\n');

export function portInUse(port: number): string {
  return `port ${port} is already in use, so the station page cannot listen on it: set DEMO_PORT to another port (DEMO_PORT=0 picks a free one)`;
}

export function sharedRedisUnreachable(url: string, fromEnv: boolean): string {
  return fromEnv
    ? `no Redis answers at ${url} (REDIS_URL): start it, or unset REDIS_URL to let the demo start its own redis-server`
    : `no Redis answers at ${url} (DEMO_REDIS=shared): start it, or unset DEMO_REDIS to let the demo start its own redis-server`;
}
