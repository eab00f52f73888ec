/**
 * The whole station pipeline for renderer UI tests, all real: a private redis-server, the relay in-process, a
 * station runtime on a temp data folder (real SQLite), the browser host serving a fresh renderer build, and
 * Debian's Chromium driven by playwright-core. Fixes enter the way the customer's PHP sends them: PUBLISH on Redis.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import type { RunningRelay } from '../../relay/app.js';
import type { Locale } from '../../contract/station-api.js';
import type { Crs } from '../../protocol/fix.js';
import { memoryVault, openStationRuntime, type StationRuntime } from '../../electron/core/runtime.js';
import { trackExporter } from '../../electron/core/station/exporter.js';
import { startWebHost, type RunningWebHost } from '../../electron/web/server.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { operatorToken, startTestRelay } from '../support/relay.js';
import { launchChromium } from '../support/chromium.js';

export { CHROMIUM } from '../support/chromium.js';

const rendererRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../renderer');

export interface Harness {
  redis: PrivateRedis;
  relay: RunningRelay;
  runtime: StationRuntime;
  host: RunningWebHost;
  browser: Browser;
  page: Page;
  /** PUBLISH location_update the way the customer's PHP does (string coordinates, integer uid). */
  publish(fixes: { uid: number; lon: number; lat: number; ts?: number; speed?: number }[]): Promise<void>;
  /** Stop the browser host and start it again on the same port with the same key (the page stays open). */
  restartHost(stopped?: () => Promise<void>): Promise<void>;
  /** Page console errors and uncaught exceptions seen so far. */
  pageErrors: string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Members put on the watch list before the station starts (it then watches them all at once). */
  preWatch?: { uid: string; label?: string; color?: string }[];
  viewport?: { width: number; height: number };
  /**
   * Build React for production (benchmarks). Tests keep the development build: it runs StrictMode's double
   * effects, which catch effects that cannot be undone and redone.
   */
  production?: boolean;
  /** Station settings stored before the page opens. */
  settings?: { basemapCrs?: Crs; locale?: Locale };
}

/** Build the current renderer sources into a temp folder, as `npm run build:renderer` does into out/renderer. */
async function buildRenderer(outDir: string, production = false): Promise<void> {
  await build({
    ...(production ? { mode: 'production', define: { 'process.env.NODE_ENV': '"production"' } } : {}),
    configFile: join(rendererRoot, 'vite.config.ts'),
    root: rendererRoot,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const logger = pino({ level: process.env.TEST_STATION_LOG ?? 'silent' });
  const temp = mkdtempSync(join(tmpdir(), 'lodestar-renderer-e2e-'));
  const rendererDir = join(temp, 'renderer');
  await buildRenderer(rendererDir, options.production);

  const redis = await startPrivateRedis();
  const relay = await startTestRelay({ redisUrl: redis.url, heartbeatMs: 1000 });
  const publisher = new Redis(redis.url);
  const runtime = openStationRuntime({
    dataDir: join(temp, 'data'),
    relayUrl: relay.wsUrl,
    vault: memoryVault(await operatorToken('*')),
    exporter: trackExporter,
    logger,
    backoff: { baseMs: 50, maxMs: 500 },
  });
  for (const member of options.preWatch ?? []) {
    runtime.store.putWatched(member.uid, {
      label: member.label ?? member.uid,
      color: member.color ?? '#e6194b',
    });
  }
  if (options.settings) runtime.store.updateSettings(options.settings);
  const host = await startWebHost({
    station: runtime.station,
    basemaps: runtime.station.basemaps,
    rendererDir,
    logger,
  });
  runtime.station.start();

  const browser = await launchChromium();
  const page = await browser.newPage({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: 'zh-CN',
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(host.url);

  const harness: Harness = {
    redis,
    relay,
    runtime,
    host,
    browser,
    page,
    pageErrors,
    async restartHost(stopped) {
      const { port, secret } = harness.host;
      await harness.host.close();
      await stopped?.();
      harness.host = await startWebHost({ station: runtime.station, rendererDir, logger, port, secret });
    },
    async publish(fixes) {
      const pipeline = publisher.pipeline();
      for (const f of fixes) {
        pipeline.publish(
          'location_update',
          JSON.stringify({
            uid: f.uid,
            longitude: f.lon.toFixed(6),
            latitude: f.lat.toFixed(6),
            ...(f.ts === undefined ? {} : { ts: f.ts }),
            ...(f.speed === undefined ? {} : { speed: f.speed }),
          }),
        );
      }
      await pipeline.exec();
    },
    async close() {
      await browser.close().catch(() => undefined);
      await harness.host.close().catch(() => undefined);
      await runtime.close().catch(() => undefined);
      publisher.disconnect();
      await relay.close({ drainMs: 0 }).catch(() => undefined);
      await redis.stop();
      rmSync(temp, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Poll a Node-side condition (the station's store, the relay) until it holds: the one helper, re-exported. */
export { until } from '../support/wait.js';
