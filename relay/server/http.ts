/**
 * HTTP endpoints beside the websocket on the relay's port: health, readiness, metrics and the ingest seam.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { IngestHandler } from '../ingest/index.js';

export interface HttpRoutesDeps {
  registry: Registry;
  ingest: IngestHandler;
  /** Redis reachable and not draining. */
  ready(): { ready: boolean; reason?: string };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export function createHttpHandler(deps: HttpRoutesDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0];
    if (path === '/api/location/move') {
      deps.ingest(req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'use GET' } });
      return;
    }
    switch (path) {
      case '/healthz':
        sendJson(res, 200, { ok: true });
        return;
      case '/readyz': {
        const r = deps.ready();
        sendJson(res, r.ready ? 200 : 503, r.ready ? { ready: true } : { ready: false, reason: r.reason });
        return;
      }
      case '/metrics':
        deps.registry.metrics().then(
          (text) => {
            res.writeHead(200, { 'content-type': deps.registry.contentType });
            res.end(text);
          },
          () => sendJson(res, 500, { error: { code: 'internal', message: 'metrics failed' } }),
        );
        return;
      case '/':
        // The root is the station websocket; a plain GET gets a pointer instead of a bare 404.
        sendJson(res, 426, {
          error: { code: 'upgrade_required', message: 'connect with a websocket; see docs/protocol.md' },
        });
        return;
      default:
        sendJson(res, 404, { error: { code: 'not_found', message: `no route ${path}` } });
    }
  };
}
