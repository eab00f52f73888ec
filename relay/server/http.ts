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
  /** Serve /metrics here (false when it has its own listener: RELAY_METRICS_PORT). */
  serveMetrics?: boolean;
}

/**
 * Node's HTTP server options for every relay listener: a client whose request headers are not all in within
 * `headersTimeoutMs` (a slow or silent client holding a socket) is disconnected. Node checks at
 * `connectionsCheckingInterval`, 30 s by default, which would let a silent client stay three times longer.
 */
export function httpServerOptions(headersTimeoutMs: number) {
  return {
    headersTimeout: headersTimeoutMs,
    requestTimeout: Math.max(headersTimeoutMs, 30_000),
    connectionsCheckingInterval: Math.min(1000, headersTimeoutMs),
  };
}

function serveMetrics(registry: Registry, res: ServerResponse): void {
  registry.metrics().then(
    (text) => {
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(text);
    },
    () => sendJson(res, 500, { error: { code: 'internal', message: 'metrics failed' } }),
  );
}

/** The separate /metrics listener's handler (RELAY_METRICS_HOST/PORT): /metrics and nothing else. */
export function createMetricsHandler(
  registry: Registry,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path !== '/metrics')
      return sendJson(res, 404, { error: { code: 'not_found', message: 'only /metrics here' } });
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'use GET' } });
    serveMetrics(registry, res);
  };
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
        if (deps.serveMetrics === false) break;
        serveMetrics(deps.registry, res);
        return;
      case '/':
        // The root is the station websocket; a plain GET gets a pointer instead of a bare 404.
        sendJson(res, 426, {
          error: { code: 'upgrade_required', message: 'connect with a websocket; see docs/protocol.md' },
        });
        return;
      default:
    }
    sendJson(res, 404, { error: { code: 'not_found', message: `no route ${path}` } });
  };
}
