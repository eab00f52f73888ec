/**
 * The browser host serves out/renderer, the same files `npm run build` produces for Electron. On a fresh
 * checkout they do not exist yet, and after a `git pull` they may be older than the sources: build them with vite
 * (the renderer's own vite config when present) when missing or stale, so the page never lags the station.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';

/** Folders whose files end up in the renderer bundle. */
const BUNDLED_SOURCES = ['renderer', 'contract', 'protocol'];

/** Newest modification time of the files under `dir` (node_modules and build output skipped). */
export function newestMtimeMs(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Whether out/renderer must be (re)built: missing, or older than a source file that goes into it. */
export function rendererIsStale(projectRoot: string, outDir: string): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return BUNDLED_SOURCES.some((folder) => newestMtimeMs(resolve(projectRoot, folder)) > built);
}

export async function ensureRendererBuilt(
  projectRoot: string,
  outDir: string,
  logger: Logger,
): Promise<void> {
  if (!rendererIsStale(projectRoot, outDir)) return;
  const rendererRoot = resolve(projectRoot, 'renderer');
  if (!existsSync(join(rendererRoot, 'index.html'))) {
    logger.warn({ rendererRoot }, 'no renderer sources: the station API is served, the page is not');
    return;
  }
  logger.info({ outDir }, 'building the renderer (out/renderer is missing or older than its sources)');
  try {
    await buildRenderer(rendererRoot, outDir);
  } catch (error) {
    // The station API still works (and tests use it); the page says it is not built.
    logger.error({ err: error }, 'the renderer could not be built: run `npm run build` to see why');
  }
}

async function buildRenderer(rendererRoot: string, outDir: string): Promise<void> {
  const { build } = await import('vite');
  const configFile = join(rendererRoot, 'vite.config.ts');
  if (existsSync(configFile)) {
    await build({
      configFile,
      root: rendererRoot,
      base: './',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
  } else {
    const { default: react } = await import('@vitejs/plugin-react');
    await build({
      configFile: false,
      root: rendererRoot,
      base: './',
      logLevel: 'warn',
      plugins: [react()],
      build: { outDir, emptyOutDir: true },
    });
  }
}
