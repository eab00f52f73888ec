/**
 * The browser host serves out/renderer, the same files `npm run build` produces for Electron. On a fresh
 * checkout they do not exist yet: build them once with vite (the renderer's own vite config when present).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';

export async function ensureRendererBuilt(
  projectRoot: string,
  outDir: string,
  logger: Logger,
): Promise<void> {
  if (existsSync(join(outDir, 'index.html'))) return;
  const rendererRoot = resolve(projectRoot, 'renderer');
  if (!existsSync(join(rendererRoot, 'index.html'))) {
    logger.warn({ rendererRoot }, 'no renderer sources: the station API is served, the page is not');
    return;
  }
  logger.info({ outDir }, 'building the renderer once (out/renderer is missing)');
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
