/**
 * The browser host in a real Chromium: the built renderer loads under the host's CSP, reaches the station API
 * with the key from the URL fragment, and the key never appears in a request URL. Skips (saying why) where
 * Debian's Chromium is not installed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import type { Browser } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../../test/support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryVault, openStationRuntime, type StationRuntime } from '../core/runtime.js';
import { trackExporter } from '../core/station/exporter.js';
import { ensureRendererBuilt } from './renderer-build.js';
import { startWebHost, type RunningWebHost } from './server.js';

const root = resolve(import.meta.dirname, '../..');

if (!existsSync(CHROMIUM)) {
  describe('browser host in Chromium', () => {
    it.skip(`skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`, () => undefined);
  });
} else {
  describe('browser host in Chromium', () => {
    let dir: string;
    let runtime: StationRuntime;
    let host: RunningWebHost;
    let browser: Browser;
    const logger = pino({ level: 'silent' });

    beforeAll(async () => {
      await ensureRendererBuilt(root, join(root, 'out/renderer'), logger);
      dir = mkdtempSync(join(tmpdir(), 'lodestar-chromium-'));
      runtime = openStationRuntime({
        dataDir: dir,
        vault: memoryVault('token-for-an-unreachable-relay'),
        exporter: trackExporter,
        logger,
        relayUrl: 'ws://127.0.0.1:1',
      });
      host = await startWebHost({
        station: runtime.station,
        rendererDir: join(root, 'out/renderer'),
        logger,
      });
      runtime.station.start();
      browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await host?.close();
      await runtime?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('loads the renderer, talks to the station API, and keeps the key out of URLs', async () => {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      const apiCalls: { url: string; status: number }[] = [];
      page.on('response', (r) => {
        if (r.url().includes('/api/')) apiCalls.push({ url: r.url(), status: r.status() });
      });
      await page.goto(host.url);
      for (let i = 0; i < 100 && apiCalls.length === 0; i++) await page.waitForTimeout(50);
      expect(apiCalls.length).toBeGreaterThan(0);
      expect(apiCalls.every((c) => c.status === 200)).toBe(true);
      expect(apiCalls.some((c) => c.url.includes(host.secret))).toBe(false);
      // The page can call the API itself with the key it read from the fragment.
      const state = await page.evaluate(async () => {
        const key = new URLSearchParams(location.hash.slice(1)).get('key') ?? '';
        const r = await fetch('/api/call/getStatus', {
          method: 'POST',
          headers: { 'x-lodestar-key': key, 'content-type': 'application/json' },
          body: '{"args":[]}',
        });
        return ((await r.json()) as { result: { state: string } }).result.state;
      });
      expect(['connecting', 'reconnecting', 'offline']).toContain(state);
      expect(problems.filter((p) => /Content Security Policy|Refused to/.test(p))).toEqual([]);
      await page.close();
    });

    it('refuses the API to a page without the key', async () => {
      const page = await browser.newPage();
      await page.goto(`${host.origin}/`);
      const status = await page.evaluate(async () => {
        sessionStorage.clear();
        const r = await fetch('/api/call/getStatus', { method: 'POST', body: '{"args":[]}' });
        return r.status;
      });
      expect(status).toBe(401);
      await page.close();
    });
  });
}
