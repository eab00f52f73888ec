/**
 * Serves the built renderer from `app://lodestar/` instead of file://: a real origin the IPC sender check and
 * navigation rules can compare against, and a place to set the CSP header on every page (`script-src 'self'`).
 */
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import type { TileService } from '../core/basemaps/tile-service.js';
import { CONTENT_SECURITY_POLICY, resolveStaticPath } from '../core/hosting/renderer-files.js';
import { APP_HOST, APP_SCHEME, APP_TILES_PATH } from './trust.js';

/** Must run before `app.ready`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** The renderer's files, and under /tiles/ the tiles the station serves itself (offline maps, the tile cache). */
export function serveRenderer(rendererDir: string, tiles: () => TileService | undefined): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
    const tileService = tiles();
    if (url.pathname.startsWith(APP_TILES_PATH) && tileService) {
      const answer = await tileService.serve(url.pathname.slice(APP_TILES_PATH.length));
      if (!answer.ok) return new Response(answer.message, { status: answer.status });
      return new Response(new Uint8Array(answer.tile.data), {
        headers: { 'content-type': answer.tile.contentType, 'x-content-type-options': 'nosniff' },
      });
    }
    const path = url.pathname === '/' ? '/index.html' : url.pathname;
    const file = resolveStaticPath(rendererDir, path);
    if (!file) return new Response('bad path', { status: 400 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
    headers.set('x-content-type-options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
