/**
 * Which file of the built renderer (out/renderer) a URL path names, with its content type and the CSP, for both
 * hosts (the browser host's static route and the Electron shell's app:// protocol): only files under the root,
 * never a path that escapes it, the SPA entry for unknown routes, and scripts only from ourselves.
 */
import { join, normalize, resolve, sep } from 'node:path';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Scripts and connections only to ourselves; images may come from any tile server the dispatcher configured. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: http: https:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The file a URL path names under `root`, or undefined when it would escape the root. Pure. */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const rootAbs = resolve(root);
  const candidate = resolve(join(rootAbs, normalize(decoded)));
  if (candidate !== rootAbs && !candidate.startsWith(rootAbs + sep)) return undefined;
  return candidate;
}
