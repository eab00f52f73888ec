/**
 * The relay's two Redis connections: a subscriber (pub/sub mode) and one for commands. Both reconnect by
 * themselves with full-jitter backoff; ioredis resubscribes the subscriber's channels after each reconnect.
 * `onHealth` fires on every change of "both connections ready", which drives /readyz and stations' `status`.
 *
 * With Sentinel (relay/redis-target.ts), each connection asks the sentinels for the current master at every
 * (re)connect and checks its role, so after a failover both land on the promoted replica. Not ioredis's
 * `failoverDetector`: its +switch-master handler can close a connection that is in the middle of reconnecting, and
 * ioredis then ends it for good ("Connection is closed.", status `end`), seen here in the Sentinel test. A
 * failover closes every client connection of both servers anyway, which is what triggers the reconnect.
 *
 * With Redis Cluster, commands go through an ioredis `Cluster` (it follows the slot map and MOVED redirections) and
 * the subscriber is relay/redis-cluster.ts's `ClusterPubSub` (one connection per master, sharded channels). Both
 * count as ready only while every slot's master answers, so a master's failover is an outage like any other.
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { backoffDelay } from '../protocol/backoff.js';
import { REDIS_GOODBYE_MS, settleWithin } from './bounded-wait.js';
import type { Logger } from 'pino';
import type { RelayMetrics } from './metrics.js';
import type { MessageSubscriber } from './fix-source.js';
import { ClusterPubSub } from './redis-cluster.js';
import type { RedisTarget } from './redis-target.js';
import { keepNamed, RELAY_CONNECTION_NAME } from './redis-name.js';

/** What the relay's commands go through: one server's connection, or a Cluster that routes by slot. */
export type RedisClient = Redis | Cluster;

export interface RedisConnections {
  subscriber: MessageSubscriber;
  command: RedisClient;
  /** Commands reach every part of Redis now (the one server, or every slot's master), and its changes. */
  commandsReady(): boolean;
  onCommands(listener: (ready: boolean) => void): void;
  healthy(): boolean;
  onHealth(listener: (healthy: boolean) => void): void;
  close(): Promise<void>;
}

/** Backoff cap: a relay finds Redis again within ~2 s of its return. */
const MAX_BACKOFF_MS = 2000;

/**
 * The project's one full-jitter backoff (protocol/backoff.ts): spreads a fleet of relays' reconnects instead of
 * synchronising them. ioredis counts attempts from 1; at least 10 ms, so a reconnect never spins.
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.max(10, backoffDelay(attempt, { baseMs: 50, maxMs: MAX_BACKOFF_MS }, random));
}

/** ioredis options that select the server: none for a URL (it carries them), the sentinel group otherwise. */
export function targetOptions(target: Exclude<RedisTarget, { kind: 'cluster' }>): RedisOptions {
  if (target.kind === 'url') return {};
  return {
    sentinels: [...target.sentinels],
    name: target.masterName,
    role: 'master',
    ...(target.password ? { password: target.password } : {}),
    ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
    // All sentinels unreachable: keep asking, as for a lost server (ioredis would otherwise give up).
    sentinelRetryStrategy: (times: number) => reconnectDelayMs(times),
  };
}

/** One connection to the target with `options` on top of the target's own. */
export function openRedis(target: Exclude<RedisTarget, { kind: 'cluster' }>, options: RedisOptions): Redis {
  const merged = { ...targetOptions(target), ...options };
  return target.kind === 'url' ? new Redis(target.url, merged) : new Redis(merged);
}

export function connectRedis(
  target: RedisTarget,
  logger: Logger,
  metrics: RelayMetrics,
  /** Channels published per slot with SPUBLISH under Cluster (the positioned channel). */
  shardedChannels: readonly string[] = [],
): RedisConnections {
  if (target.kind === 'cluster') return connectCluster(target, logger, metrics, shardedChannels);
  const listeners: ((healthy: boolean) => void)[] = [];
  const commandListeners: ((ready: boolean) => void)[] = [];
  const common = {
    retryStrategy: (times: number) => reconnectDelayMs(times),
    // A relay must start (degraded) and keep running while Redis is away: never give up reconnecting.
    maxRetriesPerRequest: null,
  };
  const subscriber = openRedis(target, { ...common, autoResubscribe: true });
  // Commands fail at once while Redis is away rather than pile up in memory: callers treat that as "unknown".
  const command = openRedis(target, { ...common, enableOfflineQueue: false, enableAutoPipelining: true });
  let last = false;
  let lastCommands = false;
  let closing = false;

  // A connection counts as up once ioredis says ready and its name is set (relay/redis-name.ts): one that came up
  // without its name would be reconnected a moment later, and operators could not find it meanwhile.
  const up = (conn: Redis, naming: { settled(): boolean }) => conn.status === 'ready' && naming.settled();
  const update = () => {
    const commandsNow = up(command, commandNaming);
    if (commandsNow !== lastCommands) {
      lastCommands = commandsNow;
      for (const l of commandListeners) l(commandsNow);
    }
    const now = up(subscriber, subscriberNaming) && commandsNow;
    if (now === last) return;
    last = now;
    if (!closing)
      logger.info({ redis: now ? 'up' : 'down' }, now ? 'redis is reachable' : 'redis is unreachable');
    for (const l of listeners) l(now);
  };
  const naming = (name: string, conn: Redis) =>
    keepNamed(conn, update, (error) =>
      logger.warn(
        { connection: name, err: error.message },
        `redis refused the connection name ${RELAY_CONNECTION_NAME}: running without it`,
      ),
    );
  const subscriberNaming = naming('subscriber', subscriber);
  const commandNaming = naming('command', command);

  for (const [name, conn] of [
    ['subscriber', subscriber],
    ['command', command],
  ] as const) {
    conn.on('ready', update);
    conn.on('close', update);
    conn.on('end', update);
    conn.on('reconnecting', () => {
      metrics.redisReconnects.inc({ connection: name });
      update();
    });
    // ioredis emits 'error' on every failed attempt; without a listener Node would throw. Debug level: the
    // up/down transitions above are what operators need, not one line per retry.
    conn.on('error', (error: Error) => logger.debug({ connection: name, err: error.message }, 'redis error'));
  }

  return {
    subscriber,
    command,
    commandsReady: () => lastCommands,
    onCommands: (l) => commandListeners.push(l),
    healthy: () => last,
    onHealth: (l) => listeners.push(l),
    async close() {
      closing = true;
      // QUIT only to a connection that is up: to one that is down ioredis would queue it until a reconnect.
      await Promise.all(
        [subscriber, command].map((conn) =>
          conn.status === 'ready' ? settleWithin(conn.quit(), REDIS_GOODBYE_MS) : undefined,
        ),
      );
      subscriber.disconnect();
      command.disconnect();
    },
  };
}

function connectCluster(
  target: Extract<RedisTarget, { kind: 'cluster' }>,
  logger: Logger,
  metrics: RelayMetrics,
  shardedChannels: readonly string[],
): RedisConnections {
  const healthListeners: ((healthy: boolean) => void)[] = [];
  const commandListeners: ((ready: boolean) => void)[] = [];
  const nodeOptions: RedisOptions = {
    ...(target.password ? { password: target.password } : {}),
    connectionName: RELAY_CONNECTION_NAME,
  };
  const command = new Cluster([...target.nodes], {
    redisOptions: nodeOptions,
    // As for one server: fail at once while the cluster is away rather than pile commands up in memory.
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    clusterRetryStrategy: (times: number) => reconnectDelayMs(times),
  });
  const subscriber = new ClusterPubSub(command, {
    shardedChannels,
    nodeOptions: {
      ...nodeOptions,
      retryStrategy: (times: number) => reconnectDelayMs(times),
      maxRetriesPerRequest: null,
    },
    onChange: () => update(),
    onReconnecting: () => metrics.redisReconnects.inc({ connection: 'subscriber' }),
    onError: (error) => logger.debug({ connection: 'subscriber', err: error.message }, 'redis error'),
  });
  let last = false;
  let closing = false;
  const update = () => {
    const now = subscriber.ready();
    if (now === last) return;
    last = now;
    if (!closing)
      logger.info({ redis: now ? 'up' : 'down' }, now ? 'redis is reachable' : 'redis is unreachable');
    for (const l of commandListeners) l(now);
    for (const l of healthListeners) l(now);
  };
  command.on('ready', update);
  command.on('close', update);
  command.on('end', update);
  command.on('reconnecting', () => {
    metrics.redisReconnects.inc({ connection: 'command' });
    update();
  });
  command.on('error', (error: Error) =>
    logger.debug({ connection: 'command', err: error.message }, 'redis error'),
  );
  command.on('node error', (error: Error) =>
    logger.debug({ connection: 'command', err: error.message }, 'redis node error'),
  );
  return {
    subscriber,
    command,
    // Every slot's master has a confirmed subscriber connection: the best sign that commands reach them all.
    commandsReady: () => last,
    onCommands: (l) => commandListeners.push(l),
    healthy: () => last,
    onHealth: (l) => healthListeners.push(l),
    async close() {
      closing = true;
      await subscriber.close();
      await settleWithin(command.quit(), REDIS_GOODBYE_MS);
      command.disconnect();
    },
  };
}
