/**
 * `npm run demo`: the whole pipeline on one machine, one command.
 *
 *   a private redis-server (free port, no persistence), or a Redis you name (REDIS_URL, DEMO_REDIS=shared)
 *     ← simulated members (simulator/) PUBLISH PHP-style fixes at 1 Hz on `location_update`
 *     → the relay (in-process, random RELAY_SECRET for this run)
 *     → the station (browser host, operator token minted for this run) → the URL printed below.
 *
 * Ctrl-C stops everything: members, station (its queued fixes are written), relay, private Redis (in a process
 * group of its own, so it outlives the parts that use it and is stopped last). Each step has a bounded time; a
 * second Ctrl-C or SIGTERM exits at once.
 * Environment: DEMO_PORT (station page, default 5180; 0 = any free port), DEMO_DATA_DIR (default: a temp folder
 * removed at exit), DEMO_MEMBERS (default 4), DEMO_HISTORY=yesterday|none (default: a generated yesterday per member
 * in the station, for the history view), DEMO_REDIS=private|shared, REDIS_URL. See scripts/lib/demo-settings.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startRelay } from '../relay/app.js';
import { signOperatorToken } from '../relay/auth/tokens.js';
import { memoryVault, openStationRuntime } from '../electron/core/runtime.js';
import { trackExporter } from '../electron/core/station/exporter.js';
import { ensureRendererBuilt } from '../electron/web/renderer-build.js';
import { DEMO_WORKDAYS, seedYesterday } from './lib/history-seed.js';
import { startWebHost } from '../electron/web/server.js';
import { liveFleetSettings } from '../simulator/fleet.js';
import { parseSimulateOptions } from '../simulator/options.js';
import { createRedisPublisher } from '../simulator/publishers.js';
import { startSimulation } from '../simulator/run.js';
import {
  demoSettings,
  portInUse,
  REDIS_SERVER_MISSING,
  sharedRedisUnreachable,
} from './lib/demo-settings.js';
import { RedisServerNotFound, startPrivateRedis } from './lib/redis-server.js';
import { forcesExit, runCleanups, type CleanupStep } from './lib/shutdown.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const logger = pino({ name: 'demo', level: process.env.LOG_LEVEL ?? 'warn' });
const say = (line: string): boolean => process.stdout.write(`${line}\n`);

/** A failure the user can act on: said in a sentence, no stack trace. */
class DemoStop extends Error {}

const KIND_LABELS = { walk: 'Walker', scooter: 'Courier', car: 'Van' } as const;

/** Each stop step's bound: closing a part takes milliseconds; this is for one that waits on something gone. */
const STEP_TIMEOUT_MS = 5000;

async function main(): Promise<void> {
  const cleanups: CleanupStep[] = [];
  const cleanup = (name: string, run: CleanupStep['run']) => cleanups.push({ name, run });
  let stoppingSince: number | undefined;
  const stop = async (code: number): Promise<void> => {
    stoppingSince = Date.now();
    if (code === 0) say('\nstopping…');
    await runCleanups(cleanups.reverse(), STEP_TIMEOUT_MS, (outcome) => {
      if (outcome.result === 'failed')
        logger.warn({ err: outcome.error, step: outcome.name }, 'stop step failed');
      if (outcome.result === 'timed out')
        process.stderr.write(`${outcome.name} did not stop within ${STEP_TIMEOUT_MS / 1000} s: going on\n`);
    });
    process.exit(code);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppingSince === undefined) return void stop(0);
    if (!forcesExit(stoppingSince, Date.now())) return;
    // The private Redis goes too: the process's exit hook kills it.
    process.stderr.write(`${signal} while stopping: exiting now, without waiting for the remaining steps\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const settings = demoSettings(process.env);
    if (!settings.ok) throw new DemoStop(settings.message);
    const { redis, port, members, dataDir: givenDataDir, history } = settings.value;

    // 1. Redis: a private one unless the user named one.
    let redisUrl: string;
    if (redis.kind === 'private') {
      const privateRedis = await startPrivateRedis({ ownProcessGroup: true }).catch((error: unknown) => {
        throw error instanceof RedisServerNotFound ? new DemoStop(REDIS_SERVER_MISSING) : error;
      });
      cleanup('private redis-server', () => privateRedis.stop('SIGTERM'));
      redisUrl = privateRedis.url;
      say(`started a private redis-server on port ${privateRedis.port} (no persistence; stopped at exit)`);
    } else {
      redisUrl = redis.url;
    }
    const simulate = parseSimulateOptions(['--members', String(members), '--redis', redisUrl], {});
    if (!simulate.ok) throw new Error(simulate.errors.join('; '));
    const publisher = await createRedisPublisher(redisUrl, simulate.value.channel).catch(() => {
      throw new DemoStop(sharedRedisUnreachable(redisUrl, process.env.REDIS_URL !== undefined));
    });
    cleanup("members' Redis connection", () => publisher.close());
    say(`Redis: ${redisUrl}`);

    // 2. Relay, with a secret nobody else knows
    const secret = randomBytes(24).toString('base64url');
    const relay = await startRelay({ secret, redisUrl, port: 0, host: '127.0.0.1', logger });
    cleanup('relay', () => relay.close({ drainMs: 0 }));
    say(`relay: ${relay.wsUrl}`);

    // 3. Station (browser host), with an operator token minted for this run
    const startMs = Math.ceil((Date.now() + 500) / 1000) * 1000;
    const fleet = liveFleetSettings(simulate.value, randomBytes(4).readUInt32LE(), startMs);
    const token = await signOperatorToken(secret, {
      sub: 'demo-dispatcher',
      members: '*',
      ttlSeconds: 12 * 3600,
    });
    const dataDir = givenDataDir ?? mkdtempSync(resolve(tmpdir(), 'lodestar-demo-'));
    if (!givenDataDir)
      cleanup('temporary data folder', () => rmSync(dataDir, { recursive: true, force: true }));
    const rendererDir = resolve(projectRoot, 'out/renderer');
    await ensureRendererBuilt(projectRoot, rendererDir, logger);
    const runtime = openStationRuntime({
      dataDir,
      relayUrl: relay.wsUrl,
      vault: memoryVault(token),
      exporter: trackExporter,
      logger,
    });
    cleanup('station', () => runtime.close());
    for (let i = 0; i < members; i++) {
      const uid = fleet.firstUid + i;
      const kind = fleet.kinds[i % fleet.kinds.length] ?? 'walk';
      runtime.store.putWatched(String(uid), { label: `${KIND_LABELS[kind]} ${uid}` });
    }
    if (history) {
      const uids = Array.from({ length: members }, (_, i) => String(fleet.firstUid + i));
      say(`writing a generated yesterday for members ${uids.join(', ')} (History → Yesterday)…`);
      const now = Date.now();
      // The host's zone: the browser showing "Yesterday" normally runs on the same machine.
      await seedYesterday(runtime.store, uids, {
        now,
        utcOffsetMin: -new Date(now).getTimezoneOffset(),
        // Each member's shift for its kind, so the history's figures read like a day of that work.
        workdayOf: (_uid, i) => DEMO_WORKDAYS[fleet.kinds[i % fleet.kinds.length] ?? 'walk'],
      });
    }
    const host = await startWebHost({
      station: runtime.station,
      basemaps: runtime.station.basemaps,
      rendererDir,
      logger,
      port,
    }).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EADDRINUSE' ? new DemoStop(portInUse(port)) : error;
    });
    cleanup('station page', () => host.close());
    runtime.station.start();

    // 4. Members publishing like the customer's PHP backend: string coordinates, integer uid, 1 Hz
    const simulation = startSimulation({ fleet, publisher });
    cleanup('members', () => simulation.stop());

    say(
      `\n${members} simulated members (uid ${simulation.uids.join(', ')}) publish on Redis 'location_update' once a second.`,
    );
    say(`Station data: ${dataDir}`);
    say(`\nOpen the station:\n\n  ${host.url}\n\nCtrl-C stops everything.`);
  } catch (error) {
    if (error instanceof DemoStop) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    await stop(1);
  }
}

void main();
