/**
 * `npm run screenshots`: the README's pictures, taken from the demo in Chromium so they stay current. Starts
 * `npm run demo` on a free port with a private Redis and its own data folder, lets the simulated members move for
 * a while (trails, one member left silent so it shows stale), then shoots the live map (with a member's popup) and
 * the history tab (three members' generated yesterday), in English and in Chinese, into docs/img/.
 *
 * Options (env): SHOTS_DIR (default docs/img), SHOTS_WARMUP_S (seconds of movement before the first shot, 40),
 * SHOTS_BASEMAP (the basemap drawn under the members, default gaode-roads: its tiles need the internet).
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/support/chromium.js';
import { freePort } from '../test/support/ports.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(projectRoot, process.env.SHOTS_DIR ?? 'docs/img');
const warmupS = Number(process.env.SHOTS_WARMUP_S ?? 40);

async function startDemo(port: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(projectRoot, 'scripts/demo.ts')], {
    cwd: projectRoot,
    env: { ...process.env, DEMO_PORT: String(port), DEMO_REDIS: 'private', DEMO_MEMBERS: '12' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`the demo printed no URL in 120 s:\n${text}`)), 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/#key=\S+)/.exec(text);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`the demo exited (${code}) before printing its URL:\n${text}`)),
    );
  });
  return {
    url,
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGINT');
      }),
  };
}

/** Call the station API from the page, with the page's own key (what the renderer does). */
async function callStation(page: Page, method: string, args: unknown[]): Promise<unknown> {
  // Runs in the page (a string, since this script is type-checked without the DOM library).
  return page.evaluate(`(async () => {
    const key = sessionStorage.getItem('lodestar.webKey') ?? '';
    const response = await fetch('/api/call/${method}', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lodestar-key': key },
      body: JSON.stringify({ args: ${JSON.stringify(args)} }),
    });
    return response.json();
  })()`);
}

async function shoot(page: Page, locale: 'en' | 'zh-CN'): Promise<void> {
  // Poll with evaluate: waitForFunction compiles its string with eval, which the page's CSP forbids.
  for (let i = 0; i < 300; i++) {
    if (
      await page.evaluate(
        `Number(document.querySelector('canvas.live-markers')?.getAttribute('data-drawn')) > 2`,
      )
    )
      break;
    await page.waitForTimeout(100);
  }
  await page.locator('.watch-list li.member-row').first().waitFor();
  await page.waitForTimeout(2500);
  await page.locator('button.fit-all').click();
  await page.waitForTimeout(500);
  // Open one member's popup from its list row (centres it), as a dispatcher would.
  const row = page.locator('.watch-list li.member-row').nth(2);
  const uid = await row.getAttribute('data-uid');
  await row.locator('.member-meta').click();
  await page.waitForTimeout(800);
  const at = (await page.evaluate(`window.lodestarLiveProbe?.drawnAt(${JSON.stringify(uid ?? '')})`)) as
    { x: number; y: number } | undefined;
  if (at) await page.locator('.map').click({ position: { x: at.x, y: at.y } });
  // Leaflet fades a popup in: wait until it is fully opaque.
  await page.waitForTimeout(1500);
  await page.screenshot({ path: resolve(outDir, `live-${locale}.png`) });

  await page
    .locator('.leaflet-popup-close-button')
    .first()
    .click()
    .catch(() => undefined);
  await page.locator('[role="tab"]').nth(1).click();
  // Yesterday of three members, which the demo generated before it started (DEMO_HISTORY): a whole day with
  // stops, a dropout, a stretch filled in by catch-up and one that arrived late.
  const picks = page.locator('.member-pick input');
  for (let i = 0; i < (await picks.count()); i++) {
    const want = i < 3;
    if ((await picks.nth(i).isChecked()) !== want) await picks.nth(i).click();
  }
  await page.locator('.preset', { hasText: /Yesterday|昨天/ }).click();
  await page.locator('button.load').click();
  await page.locator('.stats').first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1000);
  await page.screenshot({ path: resolve(outDir, `history-${locale}.png`) });
  await page.locator('[role="tab"]').nth(0).click();
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const demo = await startDemo(await freePort());
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 820 }, locale: 'en' });
    await page.goto(demo.url);
    await page.locator('.status-bar[data-state="connected"]').waitFor({ timeout: 30_000 });
    // Chosen up front: a fresh station asks for a basemap first, and that question would cover the map.
    const basemap = process.env.SHOTS_BASEMAP ?? 'gaode-roads';
    await callStation(page, 'updateSettings', [{ locale: 'en', basemap }]);
    await page.reload();
    await page.locator('.status-bar[data-state="connected"]').waitFor({ timeout: 30_000 });
    process.stdout.write(`letting the demo members move for ${warmupS} s…\n`);
    await page.waitForTimeout(warmupS * 1000);
    await shoot(page, 'en');
    // Switch the language in the page (no reload: the trails drawn so far stay).
    await page.locator('[role="tab"]').nth(2).click();
    await page.locator('select[name="locale"]').selectOption('zh-CN');
    await page.locator('form.settings button[type="submit"]').click();
    await page.locator('h1:has-text("调度台")').waitFor();
    await page.locator('[role="tab"]').nth(0).click();
    await shoot(page, 'zh-CN');
    process.stdout.write(`screenshots written to ${outDir}\n`);
  } finally {
    await browser.close();
    await demo.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `screenshots failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
