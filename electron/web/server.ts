/**
 * The browser host's HTTP + websocket server: the station API for a renderer running in a browser (see
 * contract/web-protocol.ts for the paths and frames). Bound to 127.0.0.1 unless told otherwise; every API request needs
 * the per-run secret and our own Origin/Host.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { forwardStationEvents } from '../../contract/bridge.js';
import type { CallReply } from '../../contract/call-reply.js';
import type { EventName, EventPayloads } from '../../contract/channels.js';
import type { ExportResult, StationApi, StationSettings } from '../../contract/station-api.js';
import {
  CALL_PATH,
  EVENTS_PATH,
  EXPORTS_PATH,
  KEY_FRAGMENT_PARAM,
  KEY_HEADER,
  TILES_PATH,
  UPLOAD_PATH,
} from '../../contract/web-protocol.js';
import type { StationBasemaps } from '../core/basemaps/station-basemaps.js';
import { basemapRoutes } from './basemap-routes.js';
import { encodeWireBinary, WIRE_BINARY_TYPE } from '../../contract/wire-binary.js';
import { decodeWire, encodeWire } from '../../contract/wire-codec.js';
import { handleStationCall } from '../core/hosting/handle-call.js';
import { allowedHosts, hostAllowed, keyMatches, newSecret, originAllowed } from './guard.js';
import { serveStatic } from './static-files.js';

export interface WebHostOptions {
  station: StationApi;
  /** Built renderer (out/renderer). */
  rendererDir: string;
  logger: Logger;
  host?: string;
  port?: number;
  /** The per-run secret; a random one by default. */
  secret?: string;
  /** The station's offline maps and tile cache, served under /api/tiles/ (the station's `basemaps`). */
  basemaps?: StationBasemaps;
  maxUploadBytes?: number;
}

export interface RunningWebHost {
  port: number;
  origin: string;
  /** The URL to open: carries the secret in the fragment, which browsers never send to the server. */
  url: string;
  secret: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 256 * 1024;
const HEADERS_TIMEOUT_MS = 10_000;
/** A client must say hello with the key this soon after the websocket opens. */
const HELLO_TIMEOUT_MS = 5_000;
/** Above this much unsent data a slow tab gets no more fix batches (it re-reads state when it catches up). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

const STATUS_FOR_CODE: Record<string, number> = {
  unauthorized: 401,
  forbidden_origin: 403,
  not_found: 404,
  bad_request: 400,
  payload_too_large: 413,
  internal: 500,
};

function reply(res: ServerResponse, status: number, body: CallReply): void {
  const text = encodeWire(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

/** The page asks for the binary form (typed arrays as raw bytes); JSON stays for other clients and for errors. */
function acceptsBinary(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes(WIRE_BINARY_TYPE);
}

function replyBinary(res: ServerResponse, body: CallReply): void {
  const bytes = encodeWireBinary(body);
  res.writeHead(200, {
    'content-type': WIRE_BINARY_TYPE,
    'content-length': bytes.byteLength,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(bytes);
}

function fail(res: ServerResponse, code: string, message: string): void {
  reply(res, STATUS_FOR_CODE[code] ?? 422, { ok: false, error: { code, message } });
}

/**
 * The body as text, or undefined when it is larger than MAX_BODY_BYTES. An oversized body is not read further and
 * not destroyed mid-request (the client would see a reset, not the 413): the caller answers, and the connection is
 * closed after the answer (`connection: close`).
 */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > MAX_BODY_BYTES) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startWebHost(options: WebHostOptions): Promise<RunningWebHost> {
  const { station, logger } = options;
  const host = options.host ?? '127.0.0.1';
  const secret = options.secret ?? newSecret();
  let hosts = new Set<string>();
  /** Finished exports the browser may download: exportId → file and its one-purpose token. */
  const downloads = new Map<string, { path: string; token: string }>();
  const basemaps = options.basemaps ? basemapRoutes(options.basemaps, options.maxUploadBytes) : undefined;

  function keyOk(req: IncomingMessage): boolean {
    const header = req.headers[KEY_HEADER];
    return keyMatches(secret, Array.isArray(header) ? header[0] : header);
  }

  function guard(req: IncomingMessage): string | undefined {
    if (!hostAllowed(req.headers.host, hosts)) return 'forbidden_origin';
    if (!originAllowed(req.headers.origin, hosts)) return 'forbidden_origin';
    return undefined;
  }

  async function handleCall(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return fail(res, 'not_found', 'API calls are POST requests');
    if (!keyOk(req)) {
      return fail(res, 'unauthorized', 'missing or wrong station key: open the URL the station printed');
    }
    const text = await readBody(req);
    if (text === undefined) {
      res.setHeader('connection', 'close');
      res.once('finish', () => req.socket.destroySoon());
      return fail(res, 'payload_too_large', `bodies are limited to ${MAX_BODY_BYTES} bytes`);
    }
    let body: unknown;
    try {
      body = text === '' ? { args: [] } : decodeWire(text);
    } catch {
      return fail(res, 'bad_request', 'the body is not valid JSON');
    }
    const rawArgs = (body as { args?: unknown } | null)?.args ?? [];
    const answer = await handleStationCall(station, method, rawArgs, logger, (m, result) =>
      m === 'exportTrack'
        ? offerDownload(result as ExportResult)
        : (m === 'getSettings' || m === 'updateSettings') && basemaps
          ? basemaps.decorateSettings(result as StationSettings)
          : result,
    );
    if (answer.ok && acceptsBinary(req)) replyBinary(res, answer);
    else if (answer.ok) reply(res, 200, answer);
    else fail(res, answer.error.code, answer.error.message);
  }

  function offerDownload<T extends { exportId: string; path: string }>(
    result: T,
  ): T & { downloadUrl: string } {
    const token = randomBytes(18).toString('base64url');
    downloads.set(result.exportId, { path: result.path, token });
    return { ...result, downloadUrl: `${EXPORTS_PATH}${encodeURIComponent(result.exportId)}?t=${token}` };
  }

  async function handleDownload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const id = decodeURIComponent(url.pathname.slice(EXPORTS_PATH.length));
    const entry = downloads.get(id);
    if (!entry || !keyMatches(entry.token, url.searchParams.get('t'))) {
      return fail(res, 'not_found', 'no such export');
    }
    const info = await stat(entry.path).catch(() => undefined);
    if (!info?.isFile()) return fail(res, 'not_found', 'the export file is gone');
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': info.size,
      'content-disposition': `attachment; filename="${basename(entry.path).replace(/"/g, '')}"`,
      'cache-control': 'no-store',
    });
    createReadStream(entry.path).pipe(res);
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!keyOk(req)) {
      req.resume();
      return fail(res, 'unauthorized', 'missing or wrong station key: open the URL the station printed');
    }
    await basemaps?.receiveUpload(req, res, fail, (result) => reply(res, 200, { ok: true, result }));
  }

  // A client whose request headers are not all in within 10 s (slow or silent) is disconnected; Node checks every
  // `connectionsCheckingInterval` (30 s by default, too coarse for that). No whole-request limit: an offline map
  // upload can take minutes, and the headers limit is what stops a client that sends nothing.
  const server = createServer(
    { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: 0, connectionsCheckingInterval: 1000 },
    (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const refused = guard(req);
      if (refused) return fail(res, refused, 'requests must come from the station page itself');
      const route = url.pathname.startsWith(CALL_PATH)
        ? handleCall(req, res, url.pathname.slice(CALL_PATH.length))
        : url.pathname.startsWith(EXPORTS_PATH)
          ? handleDownload(req, res, url)
          : basemaps && url.pathname.startsWith(TILES_PATH) && req.method === 'GET'
            ? basemaps.serveTile(res, url, fail)
            : basemaps && url.pathname === UPLOAD_PATH && req.method === 'POST'
              ? handleUpload(req, res)
              : url.pathname.startsWith('/api/')
                ? Promise.resolve(fail(res, 'not_found', 'no such API path'))
                : req.method === 'GET' || req.method === 'HEAD'
                  ? serveStatic(options.rendererDir, url.pathname, res)
                  : Promise.resolve(fail(res, 'not_found', 'not found'));
      route.catch((error: unknown) => {
        logger.error({ err: error, path: url.pathname }, 'web host request failed');
        if (!res.headersSent) fail(res, 'internal', 'internal error');
        else res.destroy();
      });
    },
  );

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== EVENTS_PATH || guard(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => acceptEvents(ws));
  });

  function acceptEvents(ws: WebSocket): void {
    const unsubscribes: (() => void)[] = [];
    const helloTimer = setTimeout(() => ws.close(4401, 'hello expected'), HELLO_TIMEOUT_MS);
    const push = <E extends EventName>(event: E, payload: EventPayloads[E]): void => {
      if (ws.readyState !== ws.OPEN) return;
      if (event === 'fixes' && ws.bufferedAmount > MAX_BUFFERED_BYTES) return;
      ws.send(encodeWire({ type: 'event', event, payload }));
    };
    ws.once('message', (data) => {
      clearTimeout(helloTimer);
      let hello: { type?: unknown; key?: unknown } | undefined;
      try {
        hello = JSON.parse(String(data)) as typeof hello;
      } catch {
        hello = undefined;
      }
      if (
        hello?.type !== 'hello' ||
        !keyMatches(secret, typeof hello.key === 'string' ? hello.key : undefined)
      ) {
        ws.close(4401, 'unauthorized');
        return;
      }
      unsubscribes.push(...forwardStationEvents(station, push));
      ws.send(JSON.stringify({ type: 'ready' }));
    });
    ws.on('close', () => {
      clearTimeout(helloTimer);
      for (const unsubscribe of unsubscribes) unsubscribe();
    });
    ws.on('error', (error) => logger.debug({ err: error }, 'event socket error'));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port);
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ origin }, 'station browser host listening');

  return {
    port,
    origin,
    url: `${origin}/#${KEY_FRAGMENT_PARAM}=${encodeURIComponent(secret)}`,
    secret,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
