/**
 * The station side of the relay: authenticate upgrades, set up each connection (welcome, message handling, token
 * timers), heartbeats, status broadcasts and the drain. relay/app.ts wires it to Redis and the HTTP server.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AuthErrorCode } from '../../protocol/codes.js';
import { CloseCode } from '../../protocol/codes.js';
import type { FixPosition } from '../../protocol/fix.js';
import type { WelcomeMessage } from '../../protocol/messages.js';
import type { OperatorClaims } from '../../protocol/token.js';
import { scopeAllows } from '../../protocol/token.js';
import { isStationPath, tokenFromRequest } from '../auth/request-token.js';
import { verifyToken } from '../auth/tokens.js';
import type { RelayConfig } from '../config.js';
import type { Fanout } from '../fanout.js';
import type { Positioning } from '../positioning/positioning.js';
import type { LatestPositions } from '../latest.js';
import type { RelayMetrics } from '../metrics.js';
import { type DeliveryTally, StationConnection } from '../station/connection.js';
import { type HandlerContext, type Handlers, handleFrame } from '../station/handlers.js';
import { recatchupStation } from '../station/catchup.js';
import { ControlRateLimiter } from '../station/rate-limiter.js';
import { drainSchedule } from './drain.js';
import { tokenTimes } from './token-timers.js';

export interface StationServerDeps {
  config: RelayConfig;
  relayId: string;
  metrics: RelayMetrics;
  logger: Logger;
  fanout: Fanout;
  latest: LatestPositions;
  handlers: Handlers;
  tally: DeliveryTally;
  redisHealthy(): boolean;
  /** The positioning library, when on (catch-up, history, range). */
  positioningApi?: Positioning;
  /** `positioning` and the history/replay limits announced in `welcome`. */
  positioning: Pick<WelcomeMessage, 'positioning'> & {
    limits: Pick<WelcomeMessage['limits'], 'historyPageMax' | 'replayMax' | 'windowMs'>;
  };
}

/** An HTTP answer written on the raw socket: the upgrade was not accepted. */
export function refuseUpgrade(socket: Socket, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  const reason =
    status === 401
      ? 'Unauthorized'
      : status === 404
        ? 'Not Found'
        : status === 429
          ? 'Too Many Requests'
          : 'Service Unavailable';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export class StationServer {
  readonly stations = new Set<StationConnection>();
  draining = false;
  private readonly wss: WebSocketServer;
  private readonly tokenTimers = new Map<StationConnection, NodeJS.Timeout[]>();
  private readonly ctx: HandlerContext;
  private heartbeatTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: StationServerDeps) {
    const { config } = deps;
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: config.maxPayload,
      // Must stay off: socket-writer.ts writes fix frames past `ws`, which is safe only while `ws` never holds frames.
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.ctx = {
      fanout: deps.fanout,
      latest: deps.latest,
      metrics: deps.metrics,
      logger: deps.logger,
      maxWatched: config.maxWatched,
      verifyOperator: (token) => this.verify(token),
      armTokenTimers: (station) => this.armTokenTimers(station),
      ...(deps.positioningApi ? { positioning: deps.positioningApi } : {}),
      replayPaceBytes: config.softBufferBytes,
      catchupConcurrency: config.catchupConcurrency,
    };
  }

  private verify(token: string) {
    return verifyToken(this.deps.config.secret, token, 'operator', {
      maxTtlSeconds: this.deps.config.tokenMaxTtlSeconds,
    });
  }

  /** The HTTP server's 'upgrade' listener. */
  upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (this.draining) {
      refuseUpgrade(socket, 503, 'draining', 'the relay is restarting; reconnect shortly');
      return;
    }
    if (!isStationPath(req.url)) {
      refuseUpgrade(socket, 404, 'not_found', 'stations connect at /');
      return;
    }
    const refuse = (code: AuthErrorCode, message: string) => {
      this.deps.metrics.authFailures.inc({ code });
      refuseUpgrade(socket, 401, code, message);
    };
    const token = tokenFromRequest(req.headers.authorization, req.url);
    if (!token) {
      refuse('token_missing', 'pass an operator token (Authorization header or ?token=)');
      return;
    }
    this.verify(token).then(
      (verified) => {
        if (!verified.ok) return refuse(verified.code, verified.message);
        if (this.draining || socket.destroyed) return socket.destroy();
        if (this.atOperatorLimit(verified.claims.sub)) {
          this.deps.metrics.authFailures.inc({ code: 'too_many_connections' });
          return refuseUpgrade(
            socket,
            429,
            'too_many_connections',
            `operator ${verified.claims.sub} already has ${this.deps.config.maxConnectionsPerOperator} connections to this relay`,
          );
        }
        this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, verified.claims));
      },
      () => refuse('token_malformed', 'the token could not be verified'),
    );
  }

  /** Whether the operator holds RELAY_MAX_CONNECTIONS_PER_OPERATOR connections already (0: no limit). */
  private atOperatorLimit(operator: string): boolean {
    const limit = this.deps.config.maxConnectionsPerOperator;
    if (limit === 0) return false;
    let held = 0;
    for (const s of this.stations) if (s.identity.operator === operator && !s.closing) held++;
    return held >= limit;
  }

  private accept(ws: WebSocket, claims: OperatorClaims): void {
    const { config, metrics, logger, fanout } = this.deps;
    // Upgrades of one operator verified at the same time all passed the check above: the extra ones go now.
    if (this.atOperatorLimit(claims.sub)) {
      metrics.closes.inc({ code: String(CloseCode.POLICY_VIOLATION) });
      ws.close(CloseCode.POLICY_VIOLATION, 'too many connections for this operator');
      return;
    }
    const station = new StationConnection(
      randomBytes(6).toString('hex'),
      ws,
      { operator: claims.sub, members: claims.members, expiresAt: claims.exp * 1000 },
      {
        softBytes: config.softBufferBytes,
        hardBytes: config.hardBufferBytes,
        slowTimeoutMs: config.slowTimeoutMs,
      },
      { tally: this.deps.tally, onClosing: (code) => metrics.closes.inc({ code: String(code) }) },
    );
    this.stations.add(station);
    const limiter = new ControlRateLimiter(
      { ratePerSecond: config.controlRate, burst: config.controlBurst },
      Date.now(),
    );
    ws.on('message', (data: Buffer, isBinary: boolean) =>
      handleFrame(this.ctx, station, limiter, data, isBinary, this.deps.handlers),
    );
    ws.on('pong', () => {
      station.alive = true;
    });
    ws.on('error', (error) =>
      logger.debug({ station: station.id, err: error.message }, 'station socket error'),
    );
    ws.on('close', (code) => {
      if (!station.closing) metrics.closes.inc({ code: String(code) });
      this.stations.delete(station);
      this.tokenTimers.delete(station);
      fanout.removeStation(station);
      station.dispose();
      logger.debug(
        { station: station.id, operator: station.identity.operator, code },
        'station disconnected',
      );
    });
    station.send({
      type: 'welcome',
      relayId: this.deps.relayId,
      operator: claims.sub,
      members: claims.members,
      expiresAt: station.identity.expiresAt,
      heartbeatMs: config.heartbeatMs,
      degraded: !this.deps.redisHealthy(),
      positioning: this.deps.positioning.positioning,
      limits: {
        maxPayload: config.maxPayload,
        maxWatched: config.maxWatched,
        ...this.deps.positioning.limits,
      },
    });
    this.armTokenTimers(station);
    logger.debug({ station: station.id, operator: claims.sub }, 'station connected');
  }

  /** (Re)arm `token_expiring` and the 4001 close for the station's current token. */
  private armTokenTimers(station: StationConnection): void {
    for (const t of this.tokenTimers.get(station) ?? []) station.unschedule(t);
    const expiresAt = station.identity.expiresAt;
    const times = tokenTimes(expiresAt, Date.now(), this.deps.config.tokenExpiringLeadMs);
    this.tokenTimers.set(station, [
      station.schedule(times.warnInMs, () => station.send({ type: 'token_expiring', expiresAt })),
      station.schedule(times.expireInMs, () => station.closeWith(CloseCode.TOKEN_EXPIRED, 'token expired')),
    ]);
  }

  /**
   * After Redis came back: catch every watched member of every station up from the last position sent to it
   * (positioning README step 7). Fills what pub/sub lost during the outage, or tells the station `epoch_changed`
   * when Redis came back with less than it had.
   */
  recatchup(): void {
    if (!this.ctx.positioning) return;
    for (const station of this.stations) {
      recatchupStation(this.ctx, station).catch((error: unknown) =>
        this.deps.logger.error({ err: error, station: station.id }, 're-catch-up failed'),
      );
    }
  }

  /**
   * Right after the command connection is back, before anything is positioned again: retire the epoch of every
   * member whose position this relay sent (it received it from Redis) is one Redis no longer has (it lost its
   * latest writes). Positioning first would assign those offsets again, and stations would drop the new fixes as
   * repeats of the ones they hold.
   */
  async retireLostEpochs(): Promise<void> {
    const positioning = this.ctx.positioning;
    if (!positioning) return;
    const highest = new Map<string, FixPosition>();
    for (const station of this.stations) {
      for (const uid of station.watched) {
        const sent = station.seam.lastSent(uid);
        if (sent === undefined) continue;
        const key = `${uid}\n${sent.epoch}`;
        const known = highest.get(key);
        if (known === undefined || known.offset < sent.offset) highest.set(key, sent);
      }
    }
    await Promise.all(
      [...highest].map(([key, position]) =>
        positioning.retireLostWrites(key.slice(0, key.indexOf('\n')), position).catch(() => false),
      ),
    );
  }

  /**
   * Tell every station about raw messages given up without a position, for the members its token allows (a
   * `status` with `lost`), never silence. `degraded` is the current Redis state.
   */
  announceLost(lost: ReadonlyMap<string, number>): void {
    const degraded = !this.deps.redisHealthy();
    for (const station of this.stations) {
      const entries = [...lost]
        .filter(([uid]) => scopeAllows(station.identity.members, uid))
        .map(([uid, count]) => ({ uid, count }));
      if (entries.length === 0) continue;
      station.send({
        type: 'status',
        degraded,
        ...(degraded ? { reason: 'redis_unreachable' } : {}),
        lost: entries,
      });
    }
    this.deps.logger.warn(
      { members: lost.size, fixes: [...lost.values()].reduce((a, b) => a + b, 0) },
      'fixes given up without a position while Redis was away',
    );
  }

  /** Send one pre-serialized frame to every station (status changes). */
  broadcast(frame: string): void {
    for (const s of this.stations) s.sendRaw(frame);
  }

  /**
   * Every `heartbeatMs`: terminate stations that did not answer the previous ws ping, ping the others and send them
   * the app-level heartbeat (browsers cannot see ws pings).
   */
  startHeartbeats(): void {
    const { heartbeatMs } = this.deps.config;
    let lastTick = Date.now();
    this.heartbeatTimer = setInterval(() => {
      const now = Date.now();
      // Node runs due timers before it reads sockets: a tick that comes late (the relay's own event loop was busy)
      // runs while the pongs of that time still wait unread, so it does not judge one missed ping. Sockets were
      // read between the previous tick and this one, though, so a pong owed since the ping before is not unread
      // but missing: two missed in a row end the connection even when every tick is late (a relay that is always
      // busy must not keep dead connections open forever).
      const timely = isTimelyTick(now - lastTick, heartbeatMs);
      lastTick = now;
      const frame = JSON.stringify({ type: 'heartbeat', ts: now });
      for (const s of this.stations) {
        s.missedPings = s.alive ? 0 : s.missedPings + 1;
        if (s.missedPings >= (timely ? 1 : 2)) {
          this.deps.logger.debug({ station: s.id }, 'station missed a heartbeat; terminating');
          s.ws.terminate();
          continue;
        }
        s.alive = false;
        s.ws.ping();
        s.sendRaw(frame);
      }
    }, heartbeatMs);
  }

  /** Close every station with 1012, spread over `windowMs`; resolves when all are closed (or cut off). */
  async drain(windowMs: number): Promise<void> {
    this.draining = true;
    clearInterval(this.heartbeatTimer);
    const list = [...this.stations];
    this.deps.logger.info({ stations: list.length, drainMs: windowMs }, 'draining');
    const closed = list.map(
      (s) =>
        new Promise<void>((r) => (s.ws.readyState === s.ws.CLOSED ? r() : s.ws.once('close', () => r()))),
    );
    const timers = drainSchedule(list.length, windowMs).map((delay, i) =>
      setTimeout(() => list[i]?.closeWith(CloseCode.SERVICE_RESTART, 'relay restarting'), delay),
    );
    let grace: NodeJS.Timeout | undefined;
    // Past the window plus the close handshake's grace, stragglers are cut off.
    await Promise.race([Promise.all(closed), new Promise((r) => (grace = setTimeout(r, windowMs + 6000)))]);
    clearTimeout(grace);
    timers.forEach(clearTimeout);
    for (const s of this.stations) s.ws.terminate();
  }
}

/** A heartbeat tick that came at most half an interval late: the event loop had time to read the pongs. */
export function isTimelyTick(sinceLastTickMs: number, heartbeatMs: number): boolean {
  return sinceLastTickMs <= heartbeatMs * 1.5;
}
