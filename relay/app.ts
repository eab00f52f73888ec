/**
 * The relay, wired: HTTP server on one port (websocket stations at `/`, health/metrics/ingest beside it), Redis
 * connections, the fix source, the fan-out and the latest-position store. `startRelay` runs it in-process (tests
 * use port 0); relay/main.ts adds config parsing and signals.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { PositionedFix } from '../protocol/fix.js';
import { fixJson } from '../protocol/fix-json.js';
import { REDIS_GOODBYE_MS, settleWithin } from './bounded-wait.js';
import type { RelayConfig } from './config.js';
import { DEFAULT_RELAY_CONFIG, MIN_SECRET_LENGTH } from './config.js';
import { Fanout } from './fanout.js';
import { type FixSource, rawChannelSource } from './fix-source.js';
import { createIngestHandler } from './ingest/index.js';
import { positionedRelay } from './positioned-relay.js';
import { redisLatestPositions } from './latest.js';
import { createRelayMetrics } from './metrics.js';
import { pubsubLimitProblem } from './pubsub-limit.js';
import { connectRedis, type RedisClient, type RedisConnections } from './redis.js';
import { describeRedisTarget, redisTargetOf } from './redis-target.js';
import { createSampledWarn } from './sampled-warn.js';
import { createHttpHandler, createMetricsHandler, httpServerOptions } from './server/http.js';
import { StationServer } from './server/stations.js';
import type { DeliveryTally } from './station/connection.js';
import { DEFAULT_HANDLERS, type Handlers } from './station/handlers.js';

export interface RelayOptions extends Partial<Omit<RelayConfig, 'secret'>> {
  secret: string;
  /** Defaults to a pino logger at `logLevel` on stdout. */
  logger?: Logger;
  relayId?: string;
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
  /** Where /metrics is served: the main port, or its own listener (RELAY_METRICS_HOST/PORT). */
  metricsUrl: string;
  registry: Registry;
  stats(): RelayStats;
  /** Stop accepting, close stations with 1012 spread over `drainMs` (default: the configured window), release Redis. */
  close(options?: { drainMs?: number }): Promise<void>;
}

export async function startRelay(options: RelayOptions): Promise<RunningRelay> {
  if (!options.secret || options.secret.length < MIN_SECRET_LENGTH) {
    throw new TypeError(`startRelay: secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const config: RelayConfig = { ...DEFAULT_RELAY_CONFIG, ...stripUndefined(options), secret: options.secret };
  const relayId = options.relayId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const logger = (options.logger ?? pino({ level: config.logLevel })).child({ relayId });

  const tally: DeliveryTally = { delivered: 0, coalesced: 0 };
  let redisHealthy = false;

  const metrics = createRelayMetrics({
    connections: () => stationServer.stations.size,
    watches: () => fan.watches(),
    watchedMembers: () => fan.members(),
    redisUp: () => redisHealthy,
    tally,
  });
  const fan = new Fanout(metrics);
  const target = redisTargetOf(config);
  if (!target.target) throw new TypeError(`startRelay: ${target.error}`);
  logger.info({ redis: describeRedisTarget(target.target) }, 'connecting to redis');
  const redis = connectRedis(target.target, logger, metrics, [`${config.channel}:positioned`]);
  const warn = createSampledWarn(logger);
  const gate = positioningGate(redis, () => stationServer.retireLostEpochs(), logger);
  const positioned = config.positioning
    ? positionedRelay(redis, config, metrics, warn, {
        onLost: (lost) => stationServer.announceLost(lost),
        gate,
      })
    : undefined;
  const latest = positioned?.latest ?? redisLatestPositions(redis.command, config.keyPrefix, logger);
  const source: FixSource =
    positioned?.source ?? rawChannelSource(redis.subscriber, config.channel, metrics, warn);
  const handlers: Handlers = { ...DEFAULT_HANDLERS, ...positioned?.handlers };

  redis.command.once('ready', () => void checkPubsubLimit(redis.command, logger));

  let everHealthy = false;
  redis.onHealth((healthy) => {
    redisHealthy = healthy;
    // Back after an outage: what pub/sub lost meanwhile is in Redis; catch watched members up from there.
    if (healthy && everHealthy) stationServer.recatchup();
    everHealthy ||= healthy;
    const frame = JSON.stringify(
      healthy
        ? { type: 'status', degraded: false }
        : { type: 'status', degraded: true, reason: 'redis_unreachable' },
    );
    stationServer.broadcast(frame);
  });

  const stationServer = new StationServer({
    config,
    relayId,
    metrics,
    logger,
    fanout: fan,
    latest,
    handlers,
    tally,
    redisHealthy: () => redisHealthy,
    ...(positioned ? { positioningApi: positioned.positioning } : {}),
    positioning: {
      positioning: positioned !== undefined,
      limits: positioned?.limits ?? { historyPageMax: 0, replayMax: 0, windowMs: 0 },
    },
  });
  const stations = stationServer.stations;

  // After the station server exists (Redis health events reach it while this waits for the subscription), before
  // the port opens (stations are taken once subscribed: bounded-wait.ts, SUBSCRIBE_WAIT_MS).
  await source.start((fix, receivedAt) => {
    // During an outage with positioning on, the subscriber can be back before the command connection: a live fix
    // sent then would jump past what pub/sub lost, and the re-catch-up that runs once both are back would start
    // after it, leaving a hole. Every positioned fix is in Redis, so that re-catch-up delivers these too: it runs for
    // every watched member, also one with no position yet, and tries a failed read again (station/catchup.ts). A
    // member whose catch-up is under way keeps the fix: its read may have run before this fix was positioned.
    if (positioned && everHealthy && !redisHealthy) {
      if (fix.offset !== undefined) fan.keepForCatchup(fix as PositionedFix);
      return;
    }
    const json = fixJson(fix);
    latest.record(fix, json);
    fan.dispatch(fix, json, receivedAt);
  });

  const server = createServer(
    httpServerOptions(config.headersTimeoutMs),
    createHttpHandler({
      serveMetrics: config.metricsPort === 0,
      registry: metrics.registry,
      ingest: createIngestHandler({
        redis: redis.command,
        secret: config.secret,
        channel: config.channel,
        keyPrefix: config.keyPrefix,
        registry: metrics.registry,
        logger,
        rateLimit: { burst: config.ingestRateBurst, perSecond: config.ingestRatePerSecond },
        maxBodyBytes: config.ingestMaxBodyBytes,
        maxBatch: config.ingestMaxBatch,
        dedupTtlSeconds: config.ingestDedupTtlSeconds,
        tokenMaxTtlSeconds: config.tokenMaxTtlSeconds,
      }),
      ready: () =>
        stationServer.draining
          ? { ready: false, reason: 'draining' }
          : redisHealthy
            ? { ready: true }
            : { ready: false, reason: 'redis_unreachable' },
    }),
  );
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) =>
    stationServer.upgrade(req, socket, head),
  );
  stationServer.startHeartbeats();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const metricsServer =
    config.metricsPort === 0 ? undefined : await listenForMetrics(config, metrics.registry);
  const metricsHost = config.metricsHost || config.host;
  const shownMetricsHost = metricsHost === '0.0.0.0' || metricsHost === '::' ? '127.0.0.1' : metricsHost;
  logger.info(
    { port, host: config.host, channel: config.channel, positioning: config.positioning },
    'relay listening',
  );

  let closing: Promise<void> | undefined;
  const close = (closeOptions: { drainMs?: number } = {}) => {
    closing ??= (async () => {
      server.close();
      metricsServer?.close();
      metricsServer?.closeAllConnections();
      await stationServer.drain(closeOptions.drainMs ?? config.drainMs);
      server.closeAllConnections();
      await source.stop();
      // The last coalesced positions, if Redis takes them soon: a Redis that is gone or stuck must not hold the exit.
      await settleWithin(latest.close(), REDIS_GOODBYE_MS);
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
    metricsUrl: metricsServer
      ? `http://${shownMetricsHost}:${(metricsServer.address() as AddressInfo).port}/metrics`
      : `http://${shownHost}:${port}/metrics`,
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

/** Warn at start when Redis would cut this relay's subscriber on an ordinary burst (relay/pubsub-limit.ts). */
async function checkPubsubLimit(command: RedisClient, logger: Logger): Promise<void> {
  try {
    const answer = (await command.config('GET', 'client-output-buffer-limit')) as string[];
    const problem = pubsubLimitProblem(answer[1] ?? '');
    if (problem) logger.warn({ setting: answer[1] }, problem);
  } catch (error) {
    // Managed Redis often disables CONFIG: say so once, the relay works either way.
    logger.info({ err: (error as Error).message }, 'could not read client-output-buffer-limit (CONFIG GET)');
  }
}

/** /metrics on its own listener, e.g. bound to a private address that only Prometheus reaches. */
async function listenForMetrics(config: RelayConfig, registry: Registry): Promise<Server> {
  const server = createServer(httpServerOptions(config.headersTimeoutMs), createMetricsHandler(registry));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.metricsPort, config.metricsHost || config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/**
 * Raw messages are positioned only while the command connection is up and, after each time it came back, once the
 * relay has retired the epochs Redis lost writes of (StationServer.retireLostEpochs); until then they are held.
 */
function positioningGate(redis: RedisConnections, afterReconnect: () => Promise<void>, logger: Logger) {
  let recovering = true;
  const listeners: (() => void)[] = [];
  redis.onCommands((ready) => {
    if (!ready) {
      recovering = true;
      return;
    }
    afterReconnect()
      .catch((error: unknown) => logger.warn({ err: error }, 'checking for lost writes failed'))
      .finally(() => {
        if (!redis.commandsReady()) return;
        recovering = false;
        for (const l of listeners) l();
      });
  });
  return {
    ready: () => !recovering && redis.commandsReady(),
    onReady: (listener: () => void) => listeners.push(listener),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
