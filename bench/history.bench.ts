/**
 * `npm run bench:history`: the history stages of bench/renderer-history.ts on their own (a store in a temporary
 * folder, the browser host, Debian's Chromium in Asia/Shanghai). Options: --runs N (default 5), --docs (rewrite the
 * "History" section of docs/benchmarks.md), --screenshots DIR (the review after loading, in English and Chinese).
 * Benchmarks are not tests: figures depend on the machine and its load.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { memoryVault, openStationRuntime } from '../electron/core/runtime.js';
import { trackExporter } from '../electron/core/station/exporter.js';
import { ensureRendererBuilt } from '../electron/web/renderer-build.js';
import { startWebHost } from '../electron/web/server.js';
import { launchChromium } from '../test/support/chromium.js';
import { coldReadReport, coldReads } from './cold-read.js';
import { replaceSection } from './docs-section.js';
import { historyReport, runHistoryStages, seedHistory, UTC_OFFSET_MIN } from './renderer-history.js';
import { yesterdayStart } from '../scripts/lib/history-seed.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    docs: { type: 'boolean', default: false },
    screenshots: { type: 'string' },
  },
});
const root = resolve(import.meta.dirname, '..');
const loadAtStart = loadavg()[0]!;
const logger = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'lodestar-bench-history-'));

await ensureRendererBuilt(root, join(root, 'out/renderer'), logger);
const runtime = openStationRuntime({
  dataDir: dir,
  vault: memoryVault('token-for-an-unreachable-relay'),
  exporter: trackExporter,
  logger,
  relayUrl: 'ws://127.0.0.1:1',
});
const host = await startWebHost({
  station: runtime.station,
  rendererDir: join(root, 'out/renderer'),
  logger,
  port: 0,
});
const browser = await launchChromium();
let uids: string[] = [];
let report = '';
const seededAt = Date.now();
try {
  console.log('seeding ten members’ generated days …');
  uids = await seedHistory(runtime.store, seededAt);
  console.log('the store after seeding:', JSON.stringify(runtime.store.status().hourColumns));
  // No tiles: the review is measured on its own, and a fresh station would first ask for a basemap.
  runtime.store.updateSettings({ locale: 'en', basemap: 'none' });
  const context = await browser.newContext({
    timezoneId: 'Asia/Shanghai',
    locale: 'en-US',
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  const figures = await runHistoryStages(
    page,
    { store: runtime.store, url: host.url },
    { runs: Number(values.runs), uids },
  );
  report = historyReport(figures);
  console.log(report);
  if (values.screenshots) {
    mkdirSync(values.screenshots, { recursive: true });
    await page.screenshot({ path: join(values.screenshots, 'history-en.png') });
    await runtime.store.updateSettings({ locale: 'zh-CN' });
    await page.reload();
    await page.locator('[role=tab]').nth(1).click();
    const boxes = page.locator('.member-pick input[type=checkbox]');
    for (let k = 0; k < 3; k++) await boxes.nth(k).click();
    await page.locator('.preset', { hasText: '昨天' }).click();
    await page.locator('button.load').click();
    await page.locator('.history-timeline').waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(values.screenshots, 'history-zh.png') });
  }
} finally {
  await browser.close();
  await host.close();
  await runtime.close();
}
try {
  // On the closed database, so nothing else runs on the thread meanwhile.
  const cold = coldReads(runtime.store.file, uids, yesterdayStart(seededAt, UTC_OFFSET_MIN));
  console.log(coldReadReport(cold));
  if (values.docs) {
    const file = join(root, 'docs/benchmarks.md');
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
    // Hand-written analysis under `### ` headings of the section (before/after, where the time goes) is kept.
    const at = text.indexOf('\n## History\n');
    const next = at >= 0 ? text.indexOf('\n## ', at + 1) : -1;
    const old = at >= 0 ? text.slice(at + 1, next >= 0 ? next : undefined) : '';
    const kept = old.indexOf('\n### ') >= 0 ? old.slice(old.indexOf('\n### ') + 1).trimEnd() : '';
    const section =
      `## History\n\n\`npm run bench:history -- --docs\` (${new Date().toISOString().slice(0, 16)}Z; ` +
      `${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, shared with other work, load average ` +
      `${loadAtStart.toFixed(1)} at the start and ${loadavg()[0]!.toFixed(1)} at the end; Chromium headless, ` +
      'software rendering). Generated days (simulator `generateDay`, 1 Hz, a 30-minute dropout, five stops, 10 m ' +
      "jitter) of ten members in the store; the page loads them through the browser host: first each member's " +
      '`historyOverview` (analysed on the station, the track simplified for drawing), drawn from that; then every ' +
      'fix (`queryRange`) in the background. Before timing, as on a station running a while, the packer has stored ' +
      'each closed hour as a blob (electron/core/store/hour-columns.ts) and the page, once idle, has had the station ' +
      'analyse yesterday for every watched member ahead (renderer/src/history/prepare-ahead.ts, ' +
      'electron/core/store/overview-cache.ts): the "Yesterday" rows answer from that. The "not prepared ahead" rows ' +
      'choose the same day as a custom range (00:0r to 23:59 in run r, a period not looked at before in every run), ' +
      'analysed on the click: one member is one not read by any earlier load, so its first run reads its hours from ' +
      "their blobs and the later runs from the station's range cache (electron/core/store/range-cache.ts); the ten " +
      'members come after the ten-member "Yesterday" runs filled that cache. "First run" is the first of each row; ' +
      "the page's own first load (its code, layout and canvases used for the first time) is the first one-member " +
      '"Yesterday" run.\n\n' +
      `${report}\n\n${coldReadReport(cold)}\n` +
      (kept ? `\n${kept}\n` : '');
    writeFileSync(file, replaceSection(text, '## History', section));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
