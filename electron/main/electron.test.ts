/**
 * The Electron shell, driven by Playwright's `_electron` against the built app (out/). Runs where an Electron
 * binary exists; elsewhere (these build machines cannot download it) it skips and says why.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/**
 * The Electron executable, or why there is none. Checked without `require('electron')` first: that call tries to
 * download the binary when it is missing, which cannot work here and only costs time.
 */
function findElectron(): { path: string } | { missing: string } {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(packageDir, 'path.txt');
  if (!override && !existsSync(pathFile)) {
    return { missing: `${pathFile} is absent: the Electron binary was never downloaded` };
  }
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : 'electron';
  const path = override ? join(override, relative) : join(packageDir, 'dist', relative);
  if (!existsSync(path)) return { missing: `the Electron executable ${path} does not exist` };
  return { path };
}

const found = findElectron();

if ('missing' in found) {
  describe('Electron shell', () => {
    it.skip(`skipped: no Electron binary on this machine (${found.missing})`, () => undefined);
  });
  console.warn(`[electron.test] skipped: no Electron binary on this machine (${found.missing})`);
} else {
  describe('Electron shell', () => {
    let app: ElectronApplication;
    let page: Page;
    let userData: string;

    beforeAll(async () => {
      if (
        !existsSync(join(root, 'out/main/index.js')) ||
        !existsSync(join(root, 'out/renderer/index.html'))
      ) {
        execFileSync(
          process.execPath,
          [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
          {
            cwd: root,
            stdio: 'inherit',
          },
        );
      }
      userData = mkdtempSync(join(tmpdir(), 'lodestar-electron-'));
      app = await electron.launch({
        executablePath: found.path,
        args: [join(root, 'out/main/index.js')],
        env: { ...process.env, LODESTAR_USER_DATA_DIR: userData },
        cwd: root,
      });
      page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
    }, 120_000);

    afterAll(async () => {
      await app?.close();
      if (userData) rmSync(userData, { recursive: true, force: true });
    });

    it('serves the renderer from its own origin in a sandboxed, isolated page', async () => {
      expect(page.url()).toMatch(/^app:\/\/lodestar\//);
      // Sandboxed + isolated: the page's world has neither Node nor Electron's internals.
      const globals = await page.evaluate(() => [
        typeof (globalThis as { require?: unknown }).require,
        typeof (globalThis as { process?: unknown }).process,
      ]);
      expect(globals).toEqual(['undefined', 'undefined']);
    });

    it('exposes the station API as window.lodestar and nothing of Node', async () => {
      const probe = await page.evaluate(async () => {
        const w = window as unknown as {
          lodestar?: Record<string, unknown>;
          require?: unknown;
          process?: unknown;
        };
        const status = (await (w.lodestar?.getStatus as () => Promise<{ state: string }>)()) ?? undefined;
        return {
          methods: Object.keys(w.lodestar ?? {}).sort(),
          require: typeof w.require,
          process: typeof w.process,
          state: status?.state,
        };
      });
      expect(probe.methods).toContain('queryRange');
      expect(probe.methods).toContain('historyOverview');
      expect(probe.methods).toContain('onFixes');
      expect(probe.methods).not.toContain('invoke');
      expect(probe.require).toBe('undefined');
      expect(probe.process).toBe('undefined');
      expect(['connecting', 'reconnecting', 'offline', 'unauthorized']).toContain(probe.state);
    });

    it('refuses bad arguments with a stable code', async () => {
      const message = await page.evaluate(async () => {
        const api = (window as unknown as { lodestar: { unwatch(uid: string): Promise<void> } }).lodestar;
        try {
          await api.unwatch('not a uid!');
          return 'no error';
        } catch (error) {
          return (error as Error).message;
        }
      });
      expect(message).toContain('[bad_request]');
      // The history overview's settings are checked at the IPC boundary too.
      const overview = await page.evaluate(async () => {
        const api = (window as unknown as { lodestar: { historyOverview(q: unknown): Promise<unknown> } })
          .lodestar;
        try {
          await api.historyOverview({ uid: '42', from: 0, to: 10, settings: { gapMs: 1 } });
          return 'no error';
        } catch (error) {
          return (error as Error).message;
        }
      });
      expect(overview).toContain('[bad_request]');
    });

    it('denies new windows and blocks inline scripts (CSP)', async () => {
      const result = await page.evaluate(() => {
        // Not an http(s) link: those are handed to the system browser, which a test must not open.
        const opened = window.open('about:blank');
        const script = document.createElement('script');
        script.textContent = 'window.__inlineRan = true';
        document.body.appendChild(script);
        return {
          opened: opened === null,
          inlineRan: (window as { __inlineRan?: boolean }).__inlineRan === true,
        };
      });
      expect(result).toEqual({ opened: true, inlineRan: false });
      expect(app.windows()).toHaveLength(1);
    });
  });
}
