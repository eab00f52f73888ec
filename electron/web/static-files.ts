/**
 * The browser host's static route for the built renderer (out/renderer); which file a path names, the content
 * types and the CSP are host-neutral (renderer-files.ts), shared with the Electron shell's app:// protocol.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { CONTENT_SECURITY_POLICY, CONTENT_TYPES, resolveStaticPath } from '../core/hosting/renderer-files.js';

export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  let file = resolveStaticPath(root, urlPath);
  if (!file) {
    res.writeHead(400).end();
    return;
  }
  let info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    // Unknown paths without an extension are client-side routes: serve the SPA entry.
    if (extname(file) !== '' && info === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    file = join(resolve(root), 'index.html');
    info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('the renderer is not built (npm run build)');
      return;
    }
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': extname(file) === '.html' ? 'no-cache' : 'public, max-age=3600',
  });
  createReadStream(file).pipe(res);
}
