/**
 * `npm run station:web`: the station in this Node process, served to a browser on this machine. The same core as
 * the Electron app (electron/core/runtime.ts); only the host differs. Prints the URL to open.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { tokenFromText } from '../../protocol/token-text.js';
import { openStationRuntime, memoryVault } from '../core/runtime.js';
import { trackExporter } from '../core/station/exporter.js';
import { parseWebHostArgs, WEB_HOST_HELP } from './args.js';
import { ensureRendererBuilt } from './renderer-build.js';
import { startWebHost } from './server.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<void> {
  const parsed = parseWebHostArgs(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    process.stderr.write(`station:web: ${parsed.message}\n\n${WEB_HOST_HELP}`);
    process.exit(2);
  }
  const args = parsed.value;
  if (args.help) {
    process.stdout.write(`${WEB_HOST_HELP}`);
    return;
  }
  const logger = pino({ name: 'lodestar-station-web', level: process.env.LOG_LEVEL ?? 'info' });
  const token = args.tokenFile ? await readTokenFile(args.tokenFile) : args.token?.trim();
  if (!token) logger.warn('no operator token given (--token-file): history works, live fixes need a token');

  // Read up front: a missing or unreadable CA file stops the host with its path, not later as a TLS error.
  const relayCa = args.relayCaFile ? await readFile(args.relayCaFile, 'utf8') : undefined;

  const rendererDir = resolve(projectRoot, 'out/renderer');
  await ensureRendererBuilt(projectRoot, rendererDir, logger);

  const runtime = openStationRuntime({
    dataDir: resolve(args.dataDir),
    vault: memoryVault(token),
    exporter: trackExporter,
    logger,
    ...(args.relayUrl ? { relayUrl: args.relayUrl } : {}),
    ...(relayCa ? { relayCa } : {}),
  });
  const host = await startWebHost({
    station: runtime.station,
    basemaps: runtime.station.basemaps,
    rendererDir,
    logger,
    host: args.host,
    port: args.port,
  });
  runtime.station.start();
  process.stdout.write(`\nLodestar station is running. Open:\n\n  ${host.url}\n\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    void host
      .close()
      .then(() => runtime.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'unclean stop');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/**
 * The token file must hold the token alone: npm's banner lines (`npm run token … > file` without -s) used to reach
 * the Authorization header and leave the station offline with bad_relay_url, never retrying. Refuse with a sentence.
 */
async function readTokenFile(path: string): Promise<string> {
  const checked = tokenFromText(await readFile(path, 'utf8'));
  if (checked.ok) return checked.token;
  process.stderr.write(`station:web: ${checked.message} (${path})\n`);
  process.exit(2);
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown }).code;
  process.stderr.write(
    `station:web failed${typeof code === 'string' ? ` (${code})` : ''}: ${String((error as Error).message ?? error)}\n`,
  );
  process.exit(1);
});
