/**
 * `npm run demo`: the whole pipeline on one machine, one command.
 *
 *   Redis (127.0.0.1:6379, or a private redis-server when none answers)
 *     ← simulated members PUBLISH PHP-style fixes at 1 Hz on `location_update`
 *     → the relay (in-process, random RELAY_SECRET for this run)
 *     → the station (browser host, operator token minted for this run) → the URL printed below.
 *
 * Ctrl-C stops everything: members, station (its queued fixes are written), relay, private Redis.
 * Options (env): DEMO_PORT (station page, default 5180), DEMO_DATA_DIR (default: a temp folder removed at exit),
 * DEMO_MEMBERS (default 4), REDIS_URL (use this Redis instead of probing 6379), DEMO_REDIS=private (always start
 * a private redis-server, leaving the shared one untouched).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { startRelay } from '../relay/app.js';
import { signOperatorToken } from '../relay/auth/tokens.js';
import { memoryVault, openStationRuntime } from '../electron/core/runtime.js';
import { trackExporter } from '../electron/core/station/exporter.js';
import { ensureRendererBuilt } from '../electron/web/renderer-build.js';
import { startWebHost } from '../electron/web/server.js';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const logger = pino({ name: 'demo', level: process.env.LOG_LEVEL ?? 'warn' });
const say = (line: string): boolean => process.stdout.write(`${line}\n`);

function redisAnswers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const timer = setTimeout(() => (socket.destroy(), done(false)), 500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      clearTimeout(timer);
      socket.destroy();
      done(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => (clearTimeout(timer), done(false)));
  });
}

/** A member walking or driving around Guangzhou: a smooth random heading, a plausible speed, always on the move. */
interface Walker {
  uid: number;
  label: string;
  lat: number;
  lon: number;
  heading: number;
  speedMps: number;
}

const METRES_PER_DEG_LAT = 111_320;

export function step(walker: Walker, dtS: number, random: () => number = Math.random): Walker {
  const heading = (walker.heading + (random() - 0.5) * 30 + 360) % 360;
  const distance = walker.speedMps * dtS;
  const rad = (heading * Math.PI) / 180;
  const lat = walker.lat + (distance * Math.cos(rad)) / METRES_PER_DEG_LAT;
  const lon =
    walker.lon + (distance * Math.sin(rad)) / (METRES_PER_DEG_LAT * Math.cos((walker.lat * Math.PI) / 180));
  return { ...walker, heading, lat, lon };
}

function makeWalkers(count: number): Walker[] {
  const kinds = [
    { label: 'Courier', speedMps: 4 },
    { label: 'Van', speedMps: 11 },
    { label: 'Walker', speedMps: 1.4 },
    { label: 'Scooter', speedMps: 7 },
  ];
  return Array.from({ length: count }, (_, i) => {
    const kind = kinds[i % kinds.length] ?? { label: 'Member', speedMps: 3 };
    return {
      uid: 42 + i,
      label: `${kind.label} ${42 + i}`,
      // Around Tianhe, Guangzhou, in GCJ-02 as wx.getLocation reports it.
      lat: 23.128 + (Math.random() - 0.5) * 0.02,
      lon: 113.325 + (Math.random() - 0.5) * 0.02,
      heading: Math.random() * 360,
      speedMps: kind.speedMps,
    };
  });
}

async function main(): Promise<void> {
  const cleanups: (() => Promise<void> | void)[] = [];
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say('\nstopping…');
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.warn({ err: error }, 'cleanup step failed');
      }
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    // 1. Redis
    let redisUrl = process.env.REDIS_URL;
    if (!redisUrl) {
      if (process.env.DEMO_REDIS !== 'private' && (await redisAnswers(6379))) {
        redisUrl = 'redis://127.0.0.1:6379';
      } else {
        const privateRedis: PrivateRedis = await startPrivateRedis();
        cleanups.push(() => privateRedis.stop('SIGTERM'));
        redisUrl = privateRedis.url;
        say(`started a private redis-server on port ${privateRedis.port}`);
      }
    }
    say(`Redis: ${redisUrl}`);

    // 2. Relay, with a secret nobody else knows
    const secret = randomBytes(24).toString('base64url');
    const relay = await startRelay({ secret, redisUrl, port: 0, host: '127.0.0.1', logger });
    cleanups.push(() => relay.close({ drainMs: 0 }));
    say(`relay: ${relay.wsUrl}`);

    // 3. Station (browser host), with an operator token minted for this run
    const walkers = makeWalkers(Math.max(1, Math.min(50, Number(process.env.DEMO_MEMBERS ?? 4) || 4)));
    const token = await signOperatorToken(secret, {
      sub: 'demo-dispatcher',
      members: '*',
      ttlSeconds: 12 * 3600,
    });
    const dataDir = process.env.DEMO_DATA_DIR ?? mkdtempSync(resolve(tmpdir(), 'lodestar-demo-'));
    if (!process.env.DEMO_DATA_DIR) cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const rendererDir = resolve(projectRoot, 'out/renderer');
    await ensureRendererBuilt(projectRoot, rendererDir, logger);
    const runtime = openStationRuntime({
      dataDir,
      relayUrl: relay.wsUrl,
      vault: memoryVault(token),
      exporter: trackExporter,
      logger,
    });
    cleanups.push(() => runtime.close());
    for (const walker of walkers) runtime.store.putWatched(String(walker.uid), { label: walker.label });
    const host = await startWebHost({
      station: runtime.station,
      rendererDir,
      logger,
      port: Number(process.env.DEMO_PORT ?? 5180),
    });
    cleanups.push(() => host.close());
    runtime.station.start();

    // 4. Members publishing like the customer's PHP backend: string coordinates, integer uid, 1 Hz
    const publisher = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 });
    cleanups.push(() => void publisher.disconnect());
    let positions = walkers;
    const timer = setInterval(() => {
      positions = positions.map((w) => step(w, 1));
      const pipeline = publisher.pipeline();
      for (const w of positions) {
        pipeline.publish(
          'location_update',
          JSON.stringify({ uid: w.uid, longitude: w.lon.toFixed(6), latitude: w.lat.toFixed(6) }),
        );
      }
      pipeline.exec().catch((error: unknown) => logger.warn({ err: error }, 'publish failed'));
    }, 1000);
    cleanups.push(() => clearInterval(timer));

    say(`\n${walkers.length} simulated members publish on Redis 'location_update' once a second.`);
    say(`Station data: ${dataDir}`);
    say(`\nOpen the station:\n\n  ${host.url}\n\nCtrl-C stops everything.`);
  } catch (error) {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    await stop(1);
  }
}

void main();
