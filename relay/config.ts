/**
 * Relay configuration: one table of options, each readable from an environment variable and a flag, with its
 * default and a description. `--help` is generated from the same table (protocol/option-table.ts), so it always
 * lists every option.
 *
 * `parseRelayConfig` is pure (argv and env in, config or errors out) so it is tested by tables; relay/main.ts is
 * the thin shell that prints and exits.
 */
import { INGEST_MAX_BATCH, INGEST_MAX_BODY_BYTES } from '../protocol/ingest.js';
import {
  integer,
  onOff,
  optionalText,
  optionDefaults,
  optionHelp,
  parseOptions,
  text,
  type Env,
  type OptionTable,
} from '../protocol/option-table.js';
import { DEFAULT_DEDUP_TTL_SECONDS } from './ingest/publish.js';
import { DEFAULT_RATE_LIMIT } from './ingest/rate-limit.js';
import { DEFAULT_POSITIONING_OPTIONS } from './positioning/options.js';
import { DEFAULT_BACKLOG_LIMITS } from './positioning/raw-backlog.js';
import { parseReplicaAcks, type ReplicaAcksSetting } from './positioning/replica-acks.js';
import { redisTargetOf } from './redis-target.js';

export interface RelayConfig {
  redisUrl: string;
  /** Sentinels (`host:port,...`); set = follow the master of `redisMasterName` instead of `redisUrl`. */
  redisSentinels: string;
  redisMasterName: string;
  /** Password of the Sentinel-monitored servers (with `redisUrl`, put it in the URL instead). */
  redisPassword: string;
  redisSentinelPassword: string;
  /** Redis Cluster nodes (`host:port,...`); set = talk to the cluster instead of `redisUrl`. */
  redisClusterNodes: string;
  channel: string;
  host: string;
  port: number;
  secret: string;
  keyPrefix: string;
  /** Interval of the app-level `heartbeat` message and of ws-level pings. */
  heartbeatMs: number;
  /** On SIGTERM, station closes are spread over this window. */
  drainMs: number;
  /** Largest frame a station may send, bytes. */
  maxPayload: number;
  /** Members one connection may watch at once. */
  maxWatched: number;
  /** Above this many buffered bytes a connection's fixes are coalesced to the latest per member. */
  softBufferBytes: number;
  /** Above this many buffered bytes (socket + outbox) the connection is closed with SLOW_CONSUMER. */
  hardBufferBytes: number;
  /** A station whose backlog does not drain below the soft limit for this long is closed with SLOW_CONSUMER. */
  slowTimeoutMs: number;
  /** Control messages a connection may send per second (sustained). */
  controlRate: number;
  /** Control messages a connection may send in a burst. */
  controlBurst: number;
  /** `token_expiring` is sent this long before a connection's token expires. */
  tokenExpiringLeadMs: number;
  logLevel: string;
  /** Positions, catch-up, history and range; off = plain fan-out of the raw channel. */
  positioning: boolean;
  /** Position raw-channel messages (off: only PHP or ingest positions, this relay fans out). */
  positionRaw: boolean;
  /** Replicas that must acknowledge a batch's writes before its positions are published (`auto`: one if any). */
  replicaAcks: ReplicaAcksSetting;
  /** How long fixes are retained for catch-up, range and history, ms. */
  windowMs: number;
  /** Most fixes one catch-up or range reply may carry. */
  replayMax: number;
  /** Catch-ups one connection runs at once (each holds up to replayMax fixes); the rest wait their turn. */
  catchupConcurrency: number;
  /** Largest history page. */
  historyPageMax: number;
  /** Ingest: requests a member may send in a burst. */
  ingestRateBurst: number;
  /** Ingest: requests per second refilled per member. */
  ingestRatePerSecond: number;
  /** Ingest: largest request body, bytes. */
  ingestMaxBodyBytes: number;
  /** Ingest: most fixes in one request. */
  ingestMaxBatch: number;
  /** Ingest: how long an accepted (uid, cid) is remembered, seconds. */
  ingestDedupTtlSeconds: number;
  /** Raw messages held while the command connection is down, at most (then dropped and reported). */
  positionBacklogMax: number;
  /** A raw message held longer than this while Redis is away is given up, ms. */
  positionBacklogMaxAgeMs: number;
  /** Station connections one operator may hold at once on this relay (0: no limit). */
  maxConnectionsPerOperator: number;
  /** Tokens whose `exp` is further ahead than this are refused (`token_malformed`), seconds. */
  tokenMaxTtlSeconds: number;
  /** Where /metrics is served when not on the main port ('' = the main host). */
  metricsHost: string;
  /** Port of a separate /metrics listener (0 = /metrics on the main port). */
  metricsPort: number;
  /** Requests (and websocket upgrades) whose headers are not in within this, ms, are closed. */
  headersTimeoutMs: number;
}

export const RELAY_OPTIONS: OptionTable<RelayConfig> = {
  redisUrl: {
    flag: 'redis-url',
    env: 'REDIS_URL',
    default: 'redis://127.0.0.1:6379',
    parse: text,
    description: 'Redis to subscribe to and keep latest positions in',
  },
  redisSentinels: {
    flag: 'redis-sentinels',
    env: 'REDIS_SENTINELS',
    default: '',
    parse: optionalText,
    description:
      'Sentinels as host:port,host:port: follow the master they elect (failover) instead of REDIS_URL',
  },
  redisMasterName: {
    flag: 'redis-master-name',
    env: 'REDIS_MASTER_NAME',
    default: 'mymaster',
    parse: text,
    description: 'with REDIS_SENTINELS: the monitored master group (sentinel monitor <name> ...)',
  },
  redisPassword: {
    flag: 'redis-password',
    env: 'REDIS_PASSWORD',
    default: '',
    parse: optionalText,
    description:
      "with REDIS_SENTINELS or REDIS_CLUSTER_NODES: the Redis servers' password (with REDIS_URL: put it in the URL)",
  },
  redisSentinelPassword: {
    flag: 'redis-sentinel-password',
    env: 'REDIS_SENTINEL_PASSWORD',
    default: '',
    parse: optionalText,
    description: "with REDIS_SENTINELS: the sentinels' own password, if they require one",
  },
  redisClusterNodes: {
    flag: 'redis-cluster-nodes',
    env: 'REDIS_CLUSTER_NODES',
    default: '',
    parse: optionalText,
    description: 'Redis Cluster nodes as host:port,host:port (some are enough) instead of REDIS_URL',
  },
  channel: {
    flag: 'channel',
    env: 'RELAY_CHANNEL',
    default: 'location_update',
    parse: text,
    description: 'Redis pub/sub channel the backend publishes raw fixes on',
  },
  host: {
    flag: 'host',
    env: 'RELAY_HOST',
    default: '0.0.0.0',
    parse: text,
    description: 'address to listen on',
  },
  port: {
    flag: 'port',
    env: 'RELAY_PORT',
    default: '30582',
    parse: integer(0, 65_535),
    description: 'port for websocket stations (root path) and HTTP endpoints',
  },
  secret: {
    flag: 'secret',
    env: 'RELAY_SECRET',
    required: true,
    parse: text,
    description: 'HS256 secret that signs operator and member tokens (required, at least 16 characters)',
  },
  keyPrefix: {
    flag: 'key-prefix',
    env: 'RELAY_KEY_PREFIX',
    default: 'lodestar:',
    parse: text,
    description: 'prefix of every Redis key the relay writes',
  },
  heartbeatMs: {
    flag: 'heartbeat-ms',
    env: 'RELAY_HEARTBEAT_MS',
    default: '15000',
    parse: integer(100),
    description: 'heartbeat message and ws ping interval, ms',
  },
  drainMs: {
    flag: 'drain-ms',
    env: 'RELAY_DRAIN_MS',
    default: '10000',
    parse: integer(0),
    description: 'on SIGTERM, spread station closes (1012) over this many ms',
  },
  maxPayload: {
    flag: 'max-payload',
    env: 'RELAY_MAX_PAYLOAD',
    default: String(64 * 1024),
    parse: integer(256),
    description: 'largest frame a station may send, bytes (larger: close 1009)',
  },
  maxWatched: {
    flag: 'max-watched',
    env: 'RELAY_MAX_WATCHED',
    default: '5000',
    parse: integer(1),
    description: 'members one connection may watch',
  },
  softBufferBytes: {
    flag: 'soft-buffer-bytes',
    env: 'RELAY_SOFT_BUFFER_BYTES',
    default: String(256 * 1024),
    parse: integer(0),
    description: 'socket backlog above which fixes are coalesced to the latest per member',
  },
  hardBufferBytes: {
    flag: 'hard-buffer-bytes',
    env: 'RELAY_HARD_BUFFER_BYTES',
    default: String(4 * 1024 * 1024),
    parse: integer(1024),
    description: 'backlog above which a station is closed with 4008 (slow consumer)',
  },
  slowTimeoutMs: {
    flag: 'slow-timeout-ms',
    env: 'RELAY_SLOW_TIMEOUT_MS',
    default: '30000',
    parse: integer(100),
    description: 'close a station (4008) whose backlog stays above the soft limit this long',
  },
  controlRate: {
    flag: 'control-rate',
    env: 'RELAY_CONTROL_RATE',
    default: '20',
    parse: integer(1),
    description: 'control messages per second a station may send (sustained)',
  },
  controlBurst: {
    flag: 'control-burst',
    env: 'RELAY_CONTROL_BURST',
    default: '60',
    parse: integer(1),
    description: 'control messages a station may send in a burst',
  },
  tokenExpiringLeadMs: {
    flag: 'token-expiring-lead-ms',
    env: 'RELAY_TOKEN_EXPIRING_LEAD_MS',
    default: '60000',
    parse: integer(0),
    description: 'send token_expiring this many ms before a token expires',
  },
  logLevel: {
    flag: 'log-level',
    env: 'LOG_LEVEL',
    default: 'info',
    parse: text,
    description: 'pino log level (fatal, error, warn, info, debug, trace)',
  },
  positioning: {
    flag: 'positioning',
    env: 'RELAY_POSITIONING',
    default: 'on',
    parse: onOff,
    description: 'positions, catch-up, history and range (on|off; off = plain fan-out, no Redis history)',
  },
  positionRaw: {
    flag: 'position-raw',
    env: 'RELAY_POSITION_RAW',
    default: 'on',
    parse: onOff,
    description:
      'with positioning: position raw-channel messages (off on all but a few relays, or when PHP positions itself)',
  },
  replicaAcks: {
    flag: 'replica-acks',
    env: 'RELAY_REPLICA_ACKS',
    default: String(DEFAULT_POSITIONING_OPTIONS.replicaAcks),
    parse: parseReplicaAcks,
    description:
      'replicas that must acknowledge (WAIT) a batch before its positions are published: auto = 1 when the master had a replica online within 10 s, 0 = never wait (docs/scaling.md "Redis Cluster")',
  },
  windowMs: {
    flag: 'window-ms',
    env: 'RELAY_WINDOW_MS',
    default: String(DEFAULT_POSITIONING_OPTIONS.windowMs),
    parse: integer(1000),
    description: 'how long fixes are retained for catch-up, range and history, ms',
  },
  replayMax: {
    flag: 'replay-max',
    env: 'RELAY_REPLAY_MAX',
    default: String(DEFAULT_POSITIONING_OPTIONS.replayMax),
    parse: integer(1),
    description: 'most fixes one catch-up or range reply carries (more: not_recoverable replay_cap)',
  },
  catchupConcurrency: {
    flag: 'catchup-concurrency',
    env: 'RELAY_CATCHUP_CONCURRENCY',
    default: '16',
    parse: integer(1),
    description:
      'catch-ups one connection runs at once, each holding up to replay-max fixes (more wait their turn)',
  },
  historyPageMax: {
    flag: 'history-page-max',
    env: 'RELAY_HISTORY_PAGE_MAX',
    default: String(DEFAULT_POSITIONING_OPTIONS.historyPageMax),
    parse: integer(1),
    description: 'largest history page (a station asking more gets this many per page)',
  },
  ingestRateBurst: {
    flag: 'ingest-rate-burst',
    env: 'RELAY_INGEST_RATE_BURST',
    default: String(DEFAULT_RATE_LIMIT.burst),
    parse: integer(1),
    description: 'ingest: requests one member may send in a burst',
  },
  ingestRatePerSecond: {
    flag: 'ingest-rate-per-second',
    env: 'RELAY_INGEST_RATE_PER_SECOND',
    default: String(DEFAULT_RATE_LIMIT.perSecond),
    parse: integer(1),
    description: 'ingest: requests per second refilled per member',
  },
  ingestMaxBodyBytes: {
    flag: 'ingest-max-body-bytes',
    env: 'RELAY_INGEST_MAX_BODY_BYTES',
    default: String(INGEST_MAX_BODY_BYTES),
    parse: integer(256),
    description: 'ingest: largest request body, bytes (larger: 413)',
  },
  ingestMaxBatch: {
    flag: 'ingest-max-batch',
    env: 'RELAY_INGEST_MAX_BATCH',
    default: String(INGEST_MAX_BATCH),
    parse: integer(1),
    description: 'ingest: most fixes in one request',
  },
  ingestDedupTtlSeconds: {
    flag: 'ingest-dedup-ttl-seconds',
    env: 'RELAY_INGEST_DEDUP_TTL_SECONDS',
    default: String(DEFAULT_DEDUP_TTL_SECONDS),
    parse: integer(1),
    description:
      'ingest: how long an accepted (uid, cid) is remembered, so a re-sent fix is not published twice',
  },
  positionBacklogMax: {
    flag: 'position-backlog-max',
    env: 'RELAY_POSITION_BACKLOG_MAX',
    default: String(DEFAULT_BACKLOG_LIMITS.maxMessages),
    parse: integer(1),
    description:
      'raw messages held while Redis commands fail, positioned once Redis is back (past it: dropped, counted, stations told)',
  },
  positionBacklogMaxAgeMs: {
    flag: 'position-backlog-max-age-ms',
    env: 'RELAY_POSITION_BACKLOG_MAX_AGE_MS',
    default: String(DEFAULT_BACKLOG_LIMITS.maxAgeMs),
    parse: integer(1000),
    description:
      'a raw message held longer than this while Redis is away is given up (counted, stations told), ms',
  },
  maxConnectionsPerOperator: {
    flag: 'max-connections-per-operator',
    env: 'RELAY_MAX_CONNECTIONS_PER_OPERATOR',
    default: '20',
    parse: integer(0),
    description: 'station connections one operator (token sub) may hold at once on this relay (0: no limit)',
  },
  tokenMaxTtlSeconds: {
    flag: 'token-max-ttl',
    env: 'RELAY_TOKEN_MAX_TTL',
    default: String(30 * 24 * 3600),
    parse: integer(60),
    description: 'tokens whose exp is further ahead than this many seconds are refused (token_malformed)',
  },
  metricsHost: {
    flag: 'metrics-host',
    env: 'RELAY_METRICS_HOST',
    default: '',
    parse: optionalText,
    description: 'with RELAY_METRICS_PORT: the address /metrics listens on (default: RELAY_HOST)',
  },
  metricsPort: {
    flag: 'metrics-port',
    env: 'RELAY_METRICS_PORT',
    default: '0',
    parse: integer(0, 65_535),
    description:
      '/metrics on its own port (0: on the main port, reachable by anyone who reaches the relay: firewall it)',
  },
  headersTimeoutMs: {
    flag: 'headers-timeout-ms',
    env: 'RELAY_HEADERS_TIMEOUT_MS',
    default: '10000',
    parse: integer(100),
    description: 'a client whose request headers are not all in within this is disconnected, ms',
  },
};

export const MIN_SECRET_LENGTH = 16;

/** Every option's default; `secret` has none. */
export const DEFAULT_RELAY_CONFIG = optionDefaults(RELAY_OPTIONS) as Omit<RelayConfig, 'secret'>;

export type ConfigResult =
  | { ok: true; config: RelayConfig }
  | { ok: false; help: true }
  | { ok: false; help: false; errors: string[] };

/** Flags win over environment variables, which win over defaults (protocol/option-table.ts). */
export function parseRelayConfig(argv: readonly string[], env: Env): ConfigResult {
  const parsed = parseOptions(RELAY_OPTIONS, argv, env);
  if (!parsed.ok) return parsed;
  const config = parsed.values as RelayConfig;
  const errors: string[] = [];
  if (parsed.from.redisSentinels !== 'default' && parsed.from.redisUrl !== 'default')
    errors.push('give either REDIS_URL or REDIS_SENTINELS, not both');
  else if (parsed.from.redisClusterNodes !== 'default' && parsed.from.redisUrl !== 'default')
    errors.push('give either REDIS_URL or REDIS_CLUSTER_NODES, not both');
  else {
    const target = redisTargetOf(config);
    if (target.error) errors.push(target.error);
  }
  if (config.secret.length < MIN_SECRET_LENGTH) {
    errors.push(`RELAY_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  if (!errors.length && config.softBufferBytes >= config.hardBufferBytes)
    errors.push('RELAY_SOFT_BUFFER_BYTES must be below RELAY_HARD_BUFFER_BYTES');
  if (errors.length) return { ok: false, help: false, errors };
  return { ok: true, config };
}

export function relayHelp(): string {
  return optionHelp(RELAY_OPTIONS, {
    usage: 'Usage: npm run relay -- [flags]',
    about:
      'Lodestar relay: authenticated Redis -> WebSocket fan-out of member location fixes.\n' +
      'Every option can be given as an environment variable or a flag (flags win).',
  });
}
