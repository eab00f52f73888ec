/**
 * The relay, wired: HTTP server on one port (websocket stations at `/`, health/metrics/ingest beside it), Redis
 * connections, the fix source, the fan-out and the latest-position store. `startRelay` runs it in-process (tests
 * use port 0); relay/main.ts adds config parsing and signals.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import type { Registry } from 'prom-client';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AuthErrorCode } from '../protocol/codes.js';
import { CloseCode } from '../protocol/codes.js';
import type { OperatorClaims } from '../protocol/token.js';
import { verifyToken } from './auth/tokens.js';
import { isStationPath, tokenFromRequest } from './auth/request-token.js';
import type { RelayConfig } from './config.js';
import { DEFAULT_RELAY_CONFIG, MIN_SECRET_LENGTH } from './config.js';
import { Fanout } from './fanout.js';
import { type FixSource, rawChannelSource } from './fix-source.js';
import { createIngestHandler } from './ingest/index.js';
import { redisLatestPositions } from './latest.js';
import { type RelayMetrics, createRelayMetrics } from './metrics.js';
import { connectRedis } from './redis.js';
import { type SampledWarn, createSampledWarn } from './sampled-warn.js';
import { drainSchedule } from './server/drain.js';
import { createHttpHandler } from './server/http.js';
import { tokenTimes } from './server/token-timers.js';
import { type DeliveryTally, Station } from './station/connection.js';
import { DEFAULT_HANDLERS, type HandlerContext, type Handlers, handleFrame } from './station/handlers.js';
import { ControlRateLimiter } from './station/rate-limiter.js';

/** What a replacement fix source is built from (issue 3's positioned channel, for instance). */
export interface FixSourceDeps {
  subscriber: Redis;
  command: Redis;
  config: RelayConfig;
  metrics: RelayMetrics;
  warn: SampledWarn;
  logger: Logger;
}

export interface RelayOptions extends Partial<Omit<RelayConfig, 'secret'>> {
  secret: string;
  /** Defaults to a pino logger at `logLevel` on stdout. */
  logger?: Logger;
  relayId?: string;
  /** Where fixes come from; default: the raw channel, parsed with `parseRawFix`. */
  fixSource?: (deps: FixSourceDeps) => FixSource;
  /** Replace the handlers of some station message types (positioning replaces watch, history, range). */
  handlers?: Partial<Handlers>;
  /** Announced in `welcome`: whether fixes carry epoch/offset and catch-up/history/range are served. */
  positioning?: { enabled: boolean; historyPageMax: number; replayMax: number; windowMs: number };
}

export interface RelayStats {
  connections: number;
  watches: number;
  watchedMembers: number;
  /** Bytes held for stations: unsent socket bytes plus outboxes. */
  backlogBytes: number;
  redisHealthy: boolean;
  delivered: number;
  coalesced: number;
}

export interface RunningRelay {
  relayId: string;
  port: number;
  /** `http://127.0.0.1:<port>` (or the bound host). */
  httpUrl: string;
  /** `ws://127.0.0.1:<port>`: stations connect here. */
  wsUrl: string;
  registry: Registry;
  stats(): RelayStats;
  /** Stop accepting, close stations with 1012 spread over `drainMs` (default: the configured window), release Redis. */
  close(options?: { drainMs?: number }): Promise<void>;
}

function refuseUpgrade(socket: Socket, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  const reason = status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Service Unavailable';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export async function startRelay(options: RelayOptions): Promise<RunningRelay> {
  if (!options.secret || options.secret.length < MIN_SECRET_LENGTH) {
    throw new TypeError(`startRelay: secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const config: RelayConfig = { ...DEFAULT_RELAY_CONFIG, ...stripUndefined(options), secret: options.secret };
  const relayId = options.relayId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const logger = (options.logger ?? pino({ level: config.logLevel })).child({ relayId });

  const stations = new Set<Station>();
  const tally: DeliveryTally = { delivered: 0, coalesced: 0 };
  let redisHealthy = false;
  let draining = false;

  const metrics = createRelayMetrics({
    connections: () => stations.size,
    watches: () => fan.watches(),
    watchedMembers: () => fan.members(),
    redisUp: () => redisHealthy,
    tally,
  });
  const fan = new Fanout(metrics);
  const redis = connectRedis(config.redisUrl, logger, metrics);
  const latest = redisLatestPositions(redis.command, config.keyPrefix, logger);
  const warn = createSampledWarn(logger);
  const source: FixSource = options.fixSource
    ? options.fixSource({
        subscriber: redis.subscriber,
        command: redis.command,
        config,
        metrics,
        warn,
        logger,
      })
    : rawChannelSource(redis.subscriber, config.channel, metrics, warn);
  const handlers: Handlers = { ...DEFAULT_HANDLERS, ...options.handlers };

  redis.onHealth((healthy) => {
    redisHealthy = healthy;
    const frame = JSON.stringify(
      healthy
        ? { type: 'status', degraded: false }
        : { type: 'status', degraded: true, reason: 'redis_unreachable' },
    );
    for (const s of stations) s.sendRaw(frame);
  });

  await source.start((fix, receivedAt) => {
    const json = JSON.stringify(fix);
    latest.record(fix, json);
    fan.dispatch(fix, json, receivedAt);
  });

  const verifyOperator = (token: string) => verifyToken(config.secret, token, 'operator');
  const tokenTimers = new Map<Station, NodeJS.Timeout[]>();
  const armTokenTimers = (station: Station) => {
    for (const t of tokenTimers.get(station) ?? []) station.unschedule(t);
    const expiresAt = station.identity.expiresAt;
    const times = tokenTimes(expiresAt, Date.now(), config.tokenExpiringLeadMs);
    tokenTimers.set(station, [
      station.schedule(times.warnInMs, () => station.send({ type: 'token_expiring', expiresAt })),
      station.schedule(times.expireInMs, () => station.closeWith(CloseCode.TOKEN_EXPIRED, 'token expired')),
    ]);
  };
  const ctx: HandlerContext = {
    fanout: fan,
    latest,
    metrics,
    logger,
    maxWatched: config.maxWatched,
    verifyOperator,
    armTokenTimers,
  };

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxPayload,
    perMessageDeflate: false,
    clientTracking: false,
  });

  const welcomeLimits = {
    maxPayload: config.maxPayload,
    maxWatched: config.maxWatched,
    historyPageMax: options.positioning?.historyPageMax ?? 0,
    replayMax: options.positioning?.replayMax ?? 0,
    windowMs: options.positioning?.windowMs ?? 0,
  };

  const onStation = (ws: WebSocket, claims: OperatorClaims) => {
    const station = new Station(
      randomBytes(6).toString('hex'),
      ws,
      { operator: claims.sub, members: claims.members, expiresAt: claims.exp * 1000 },
      {
        softBytes: config.softBufferBytes,
        hardBytes: config.hardBufferBytes,
        slowTimeoutMs: config.slowTimeoutMs,
      },
      { tally, onClosing: (code) => metrics.closes.inc({ code: String(code) }) },
    );
    stations.add(station);
    const limiter = new ControlRateLimiter(
      { ratePerSecond: config.controlRate, burst: config.controlBurst },
      Date.now(),
    );
    ws.on('message', (data: Buffer, isBinary: boolean) =>
      handleFrame(ctx, station, limiter, data, isBinary, handlers),
    );
    ws.on('pong', () => {
      station.alive = true;
    });
    ws.on('error', (error) =>
      logger.debug({ station: station.id, err: error.message }, 'station socket error'),
    );
    ws.on('close', (code) => {
      if (!station.closing) metrics.closes.inc({ code: String(code) });
      stations.delete(station);
      tokenTimers.delete(station);
      fan.removeStation(station);
      station.dispose();
      logger.debug(
        { station: station.id, operator: station.identity.operator, code },
        'station disconnected',
      );
    });
    station.send({
      type: 'welcome',
      relayId,
      operator: claims.sub,
      members: claims.members,
      expiresAt: station.identity.expiresAt,
      heartbeatMs: config.heartbeatMs,
      degraded: !redisHealthy,
      positioning: options.positioning?.enabled ?? false,
      limits: welcomeLimits,
    });
    armTokenTimers(station);
    logger.debug({ station: station.id, operator: claims.sub }, 'station connected');
  };

  const refuseAuth = (socket: Socket, code: AuthErrorCode, message: string) => {
    metrics.authFailures.inc({ code });
    refuseUpgrade(socket, 401, code, message);
  };

  const server = createServer(
    createHttpHandler({
      registry: metrics.registry,
      ingest: createIngestHandler({
        redis: redis.command,
        secret: config.secret,
        channel: config.channel,
        keyPrefix: config.keyPrefix,
        registry: metrics.registry,
        logger,
      }),
      ready: () =>
        draining
          ? { ready: false, reason: 'draining' }
          : redisHealthy
            ? { ready: true }
            : { ready: false, reason: 'redis_unreachable' },
    }),
  );
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (draining) return refuseUpgrade(socket, 503, 'draining', 'the relay is restarting; reconnect shortly');
    if (!isStationPath(req.url)) return refuseUpgrade(socket, 404, 'not_found', 'stations connect at /');
    const token = tokenFromRequest(req.headers.authorization, req.url);
    if (!token)
      return refuseAuth(socket, 'token_missing', 'pass an operator token (Authorization header or ?token=)');
    verifyOperator(token).then(
      (verified) => {
        if (!verified.ok) return refuseAuth(socket, verified.code, verified.message);
        if (draining || socket.destroyed) return socket.destroy();
        wss.handleUpgrade(req, socket, head, (ws) => onStation(ws, verified.claims));
      },
      () => refuseAuth(socket, 'token_malformed', 'the token could not be verified'),
    );
  });

  const heartbeat = setInterval(() => {
    const frame = JSON.stringify({ type: 'heartbeat', ts: Date.now() });
    for (const s of stations) {
      if (!s.alive) {
        logger.debug({ station: s.id }, 'station missed a heartbeat; terminating');
        s.ws.terminate();
        continue;
      }
      s.alive = false;
      s.ws.ping();
      s.sendRaw(frame);
    }
  }, config.heartbeatMs);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  logger.info({ port, host: config.host, channel: config.channel }, 'relay listening');

  let closing: Promise<void> | undefined;
  const close = (closeOptions: { drainMs?: number } = {}) => {
    closing ??= (async () => {
      draining = true;
      clearInterval(heartbeat);
      server.close();
      const list = [...stations];
      const windowMs = closeOptions.drainMs ?? config.drainMs;
      logger.info({ stations: list.length, drainMs: windowMs }, 'draining');
      const closed = list.map(
        (s) =>
          new Promise<void>((r) => (s.ws.readyState === s.ws.CLOSED ? r() : s.ws.once('close', () => r()))),
      );
      const timers = drainSchedule(list.length, windowMs).map((delay, i) =>
        setTimeout(() => list[i]?.closeWith(CloseCode.SERVICE_RESTART, 'relay restarting'), delay),
      );
      await Promise.race([Promise.all(closed), new Promise((r) => setTimeout(r, windowMs + 6000))]);
      timers.forEach(clearTimeout);
      for (const s of stations) s.ws.terminate();
      server.closeAllConnections();
      await source.stop();
      await latest.close();
      await redis.close();
      logger.info('relay stopped');
    })();
    return closing;
  };

  return {
    relayId,
    port,
    httpUrl: `http://${shownHost}:${port}`,
    wsUrl: `ws://${shownHost}:${port}`,
    registry: metrics.registry,
    stats: () => {
      let backlogBytes = 0;
      for (const s of stations) backlogBytes += s.backlogBytes();
      return {
        connections: stations.size,
        watches: fan.watches(),
        watchedMembers: fan.members(),
        backlogBytes,
        redisHealthy,
        delivered: tally.delivered,
        coalesced: tally.coalesced,
      };
    },
    close,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
