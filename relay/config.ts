/**
 * Relay configuration: one table of options, each readable from an environment variable and a flag, with its
 * default and a description. `--help` is generated from the same table, so it always lists every option.
 *
 * `parseRelayConfig` is pure (argv and env in, config or errors out) so it is tested by tables; relay/main.ts is
 * the thin shell that prints and exits.
 */
import { INGEST_MAX_BATCH, INGEST_MAX_BODY_BYTES } from '../protocol/ingest.js';
import { DEFAULT_DEDUP_TTL_SECONDS } from './ingest/publish.js';
import { DEFAULT_RATE_LIMIT } from './ingest/rate-limit.js';
import { DEFAULT_POSITIONING_OPTIONS } from './positioning/options.js';
import { DEFAULT_BACKLOG_LIMITS } from './positioning/raw-backlog.js';
import { redisTargetOf } from './redis-target.js';

export interface RelayConfig {
  redisUrl: string;
  /** Sentinels (`host:port,...`); set = follow the master of `redisMasterName` instead of `redisUrl`. */
  redisSentinels: string;
  redisMasterName: string;
  /** Password of the Sentinel-monitored servers (with `redisUrl`, put it in the URL instead). */
  redisPassword: string;
  redisSentinelPassword: string;
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
  /** Positions, catch-up, history and range (issue 3); off = plain fan-out of the raw channel. */
  positioning: boolean;
  /** Position raw-channel messages (off: only PHP or ingest positions, this relay fans out). */
  positionRaw: boolean;
  /** How long fixes are retained for catch-up, range and history, ms. */
  windowMs: number;
  /** Most fixes one catch-up or range reply may carry. */
  replayMax: number;
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

type Kind = 'string' | 'int' | 'secret' | 'bool';

interface OptionSpec {
  key: keyof RelayConfig;
  env: string;
  flag: string;
  kind: Kind;
  /** undefined = required. */
  default: string | number | boolean | undefined;
  min?: number;
  description: string;
}

export const RELAY_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'redisUrl',
    env: 'REDIS_URL',
    flag: '--redis-url',
    kind: 'string',
    default: 'redis://127.0.0.1:6379',
    description: 'Redis to subscribe to and keep latest positions in',
  },
  {
    key: 'redisSentinels',
    env: 'REDIS_SENTINELS',
    flag: '--redis-sentinels',
    kind: 'string',
    default: '',
    description:
      'Sentinels as host:port,host:port: follow the master they elect (failover) instead of REDIS_URL',
  },
  {
    key: 'redisMasterName',
    env: 'REDIS_MASTER_NAME',
    flag: '--redis-master-name',
    kind: 'string',
    default: 'mymaster',
    description: 'with REDIS_SENTINELS: the monitored master group (sentinel monitor <name> ...)',
  },
  {
    key: 'redisPassword',
    env: 'REDIS_PASSWORD',
    flag: '--redis-password',
    kind: 'secret',
    default: '',
    description: "with REDIS_SENTINELS: the Redis servers' password (with REDIS_URL: put it in the URL)",
  },
  {
    key: 'redisSentinelPassword',
    env: 'REDIS_SENTINEL_PASSWORD',
    flag: '--redis-sentinel-password',
    kind: 'secret',
    default: '',
    description: "with REDIS_SENTINELS: the sentinels' own password, if they require one",
  },
  {
    key: 'channel',
    env: 'RELAY_CHANNEL',
    flag: '--channel',
    kind: 'string',
    default: 'location_update',
    description: 'Redis pub/sub channel the backend publishes raw fixes on',
  },
  {
    key: 'host',
    env: 'RELAY_HOST',
    flag: '--host',
    kind: 'string',
    default: '0.0.0.0',
    description: 'address to listen on',
  },
  {
    key: 'port',
    env: 'RELAY_PORT',
    flag: '--port',
    kind: 'int',
    default: 30582,
    min: 0,
    description: 'port for websocket stations (root path) and HTTP endpoints',
  },
  {
    key: 'secret',
    env: 'RELAY_SECRET',
    flag: '--secret',
    kind: 'secret',
    default: undefined,
    description: 'HS256 secret that signs operator and member tokens (required, at least 16 characters)',
  },
  {
    key: 'keyPrefix',
    env: 'RELAY_KEY_PREFIX',
    flag: '--key-prefix',
    kind: 'string',
    default: 'lodestar:',
    description: 'prefix of every Redis key the relay writes',
  },
  {
    key: 'heartbeatMs',
    env: 'RELAY_HEARTBEAT_MS',
    flag: '--heartbeat-ms',
    kind: 'int',
    default: 15_000,
    min: 100,
    description: 'heartbeat message and ws ping interval, ms',
  },
  {
    key: 'drainMs',
    env: 'RELAY_DRAIN_MS',
    flag: '--drain-ms',
    kind: 'int',
    default: 10_000,
    min: 0,
    description: 'on SIGTERM, spread station closes (1012) over this many ms',
  },
  {
    key: 'maxPayload',
    env: 'RELAY_MAX_PAYLOAD',
    flag: '--max-payload',
    kind: 'int',
    default: 64 * 1024,
    min: 256,
    description: 'largest frame a station may send, bytes (larger: close 1009)',
  },
  {
    key: 'maxWatched',
    env: 'RELAY_MAX_WATCHED',
    flag: '--max-watched',
    kind: 'int',
    default: 5_000,
    min: 1,
    description: 'members one connection may watch',
  },
  {
    key: 'softBufferBytes',
    env: 'RELAY_SOFT_BUFFER_BYTES',
    flag: '--soft-buffer-bytes',
    kind: 'int',
    default: 256 * 1024,
    min: 0,
    description: 'socket backlog above which fixes are coalesced to the latest per member',
  },
  {
    key: 'hardBufferBytes',
    env: 'RELAY_HARD_BUFFER_BYTES',
    flag: '--hard-buffer-bytes',
    kind: 'int',
    default: 4 * 1024 * 1024,
    min: 1024,
    description: 'backlog above which a station is closed with 4008 (slow consumer)',
  },
  {
    key: 'slowTimeoutMs',
    env: 'RELAY_SLOW_TIMEOUT_MS',
    flag: '--slow-timeout-ms',
    kind: 'int',
    default: 30_000,
    min: 100,
    description: 'close a station (4008) whose backlog stays above the soft limit this long',
  },
  {
    key: 'controlRate',
    env: 'RELAY_CONTROL_RATE',
    flag: '--control-rate',
    kind: 'int',
    default: 20,
    min: 1,
    description: 'control messages per second a station may send (sustained)',
  },
  {
    key: 'controlBurst',
    env: 'RELAY_CONTROL_BURST',
    flag: '--control-burst',
    kind: 'int',
    default: 60,
    min: 1,
    description: 'control messages a station may send in a burst',
  },
  {
    key: 'tokenExpiringLeadMs',
    env: 'RELAY_TOKEN_EXPIRING_LEAD_MS',
    flag: '--token-expiring-lead-ms',
    kind: 'int',
    default: 60_000,
    min: 0,
    description: 'send token_expiring this many ms before a token expires',
  },
  {
    key: 'logLevel',
    env: 'LOG_LEVEL',
    flag: '--log-level',
    kind: 'string',
    default: 'info',
    description: 'pino log level (fatal, error, warn, info, debug, trace)',
  },
  {
    key: 'positioning',
    env: 'RELAY_POSITIONING',
    flag: '--positioning',
    kind: 'bool',
    default: true,
    description: 'positions, catch-up, history and range (on|off; off = plain fan-out, no Redis history)',
  },
  {
    key: 'positionRaw',
    env: 'RELAY_POSITION_RAW',
    flag: '--position-raw',
    kind: 'bool',
    default: true,
    description:
      'with positioning: position raw-channel messages (off on all but a few relays, or when PHP positions itself)',
  },
  {
    key: 'windowMs',
    env: 'RELAY_WINDOW_MS',
    flag: '--window-ms',
    kind: 'int',
    default: DEFAULT_POSITIONING_OPTIONS.windowMs,
    min: 1000,
    description: 'how long fixes are retained for catch-up, range and history, ms',
  },
  {
    key: 'replayMax',
    env: 'RELAY_REPLAY_MAX',
    flag: '--replay-max',
    kind: 'int',
    default: DEFAULT_POSITIONING_OPTIONS.replayMax,
    min: 1,
    description: 'most fixes one catch-up or range reply carries (more: not_recoverable replay_cap)',
  },
  {
    key: 'historyPageMax',
    env: 'RELAY_HISTORY_PAGE_MAX',
    flag: '--history-page-max',
    kind: 'int',
    default: DEFAULT_POSITIONING_OPTIONS.historyPageMax,
    min: 1,
    description: 'largest history page (a station asking more gets this many per page)',
  },
  {
    key: 'ingestRateBurst',
    env: 'RELAY_INGEST_RATE_BURST',
    flag: '--ingest-rate-burst',
    kind: 'int',
    default: DEFAULT_RATE_LIMIT.burst,
    min: 1,
    description: 'ingest: requests one member may send in a burst',
  },
  {
    key: 'ingestRatePerSecond',
    env: 'RELAY_INGEST_RATE_PER_SECOND',
    flag: '--ingest-rate-per-second',
    kind: 'int',
    default: DEFAULT_RATE_LIMIT.perSecond,
    min: 1,
    description: 'ingest: requests per second refilled per member',
  },
  {
    key: 'ingestMaxBodyBytes',
    env: 'RELAY_INGEST_MAX_BODY_BYTES',
    flag: '--ingest-max-body-bytes',
    kind: 'int',
    default: INGEST_MAX_BODY_BYTES,
    min: 256,
    description: 'ingest: largest request body, bytes (larger: 413)',
  },
  {
    key: 'ingestMaxBatch',
    env: 'RELAY_INGEST_MAX_BATCH',
    flag: '--ingest-max-batch',
    kind: 'int',
    default: INGEST_MAX_BATCH,
    min: 1,
    description: 'ingest: most fixes in one request',
  },
  {
    key: 'ingestDedupTtlSeconds',
    env: 'RELAY_INGEST_DEDUP_TTL_SECONDS',
    flag: '--ingest-dedup-ttl-seconds',
    kind: 'int',
    default: DEFAULT_DEDUP_TTL_SECONDS,
    min: 1,
    description:
      'ingest: how long an accepted (uid, cid) is remembered, so a re-sent fix is not published twice',
  },
  {
    key: 'positionBacklogMax',
    env: 'RELAY_POSITION_BACKLOG_MAX',
    flag: '--position-backlog-max',
    kind: 'int',
    default: DEFAULT_BACKLOG_LIMITS.maxMessages,
    min: 1,
    description:
      'raw messages held while Redis commands fail, positioned once Redis is back (past it: dropped, counted, stations told)',
  },
  {
    key: 'positionBacklogMaxAgeMs',
    env: 'RELAY_POSITION_BACKLOG_MAX_AGE_MS',
    flag: '--position-backlog-max-age-ms',
    kind: 'int',
    default: DEFAULT_BACKLOG_LIMITS.maxAgeMs,
    min: 1000,
    description:
      'a raw message held longer than this while Redis is away is given up (counted, stations told), ms',
  },
  {
    key: 'maxConnectionsPerOperator',
    env: 'RELAY_MAX_CONNECTIONS_PER_OPERATOR',
    flag: '--max-connections-per-operator',
    kind: 'int',
    default: 20,
    min: 0,
    description: 'station connections one operator (token sub) may hold at once on this relay (0: no limit)',
  },
  {
    key: 'tokenMaxTtlSeconds',
    env: 'RELAY_TOKEN_MAX_TTL',
    flag: '--token-max-ttl',
    kind: 'int',
    default: 30 * 24 * 3600,
    min: 60,
    description: 'tokens whose exp is further ahead than this many seconds are refused (token_malformed)',
  },
  {
    key: 'metricsHost',
    env: 'RELAY_METRICS_HOST',
    flag: '--metrics-host',
    kind: 'string',
    default: '',
    description: 'with RELAY_METRICS_PORT: the address /metrics listens on (default: RELAY_HOST)',
  },
  {
    key: 'metricsPort',
    env: 'RELAY_METRICS_PORT',
    flag: '--metrics-port',
    kind: 'int',
    default: 0,
    min: 0,
    description:
      '/metrics on its own port (0: on the main port, reachable by anyone who reaches the relay: firewall it)',
  },
  {
    key: 'headersTimeoutMs',
    env: 'RELAY_HEADERS_TIMEOUT_MS',
    flag: '--headers-timeout-ms',
    kind: 'int',
    default: 10_000,
    min: 100,
    description: 'a client whose request headers are not all in within this is disconnected, ms',
  },
];

export const MIN_SECRET_LENGTH = 16;

/** Every option's default; `secret` has none. */
export const DEFAULT_RELAY_CONFIG: Omit<RelayConfig, 'secret'> = Object.fromEntries(
  RELAY_OPTIONS.filter((o) => o.default !== undefined).map((o) => [o.key, o.default]),
) as Omit<RelayConfig, 'secret'>;

export type ConfigResult =
  | { ok: true; config: RelayConfig }
  | { ok: false; help: true }
  | { ok: false; help: false; errors: string[] };

const BOOLEAN_WORDS: Record<string, boolean> = {
  on: true,
  true: true,
  '1': true,
  off: false,
  false: false,
  '0': false,
};

function convert(
  spec: OptionSpec,
  raw: string,
  source: string,
): { value?: string | number | boolean; error?: string } {
  if (spec.kind === 'bool') {
    const value = BOOLEAN_WORDS[raw.trim().toLowerCase()];
    return value === undefined ? { error: `${source} must be on or off, got "${raw}"` } : { value };
  }
  if (spec.kind === 'int') {
    if (!/^\d+$/.test(raw.trim())) return { error: `${source} must be a non-negative integer, got "${raw}"` };
    const n = Number(raw.trim());
    if (spec.min !== undefined && n < spec.min)
      return { error: `${source} must be at least ${spec.min}, got ${n}` };
    if ((spec.key === 'port' || spec.key === 'metricsPort') && n > 65535)
      return { error: `${source} must be at most 65535, got ${n}` };
    return { value: n };
  }
  if (raw === '') return { error: `${source} must not be empty` };
  return { value: raw };
}

/**
 * Flags win over environment variables, which win over defaults. Accepts `--flag value` and `--flag=value`.
 */
export function parseRelayConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): ConfigResult {
  const errors: string[] = [];
  const fromFlags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { ok: false, help: true };
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const spec = RELAY_OPTIONS.find((o) => o.flag === name);
    if (!spec) {
      errors.push(`unknown argument "${arg}" (see --help)`);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) errors.push(`${name} needs a value`);
    else fromFlags.set(spec.flag, value);
  }

  const config: Record<string, string | number | boolean> = {};
  for (const spec of RELAY_OPTIONS) {
    const flagValue = fromFlags.get(spec.flag);
    const envValue = env[spec.env];
    const [raw, source] =
      flagValue !== undefined
        ? [flagValue, spec.flag]
        : envValue !== undefined && envValue !== ''
          ? [envValue, spec.env]
          : [undefined, spec.env];
    if (raw === undefined) {
      if (spec.default === undefined)
        errors.push(`${spec.env} (or ${spec.flag}) is required: ${spec.description}`);
      else config[spec.key] = spec.default;
      continue;
    }
    const { value, error } = convert(spec, raw, source);
    if (error) errors.push(error);
    else if (value !== undefined) config[spec.key] = value;
  }
  const explicitly = (key: keyof RelayConfig) => {
    const spec = RELAY_OPTIONS.find((o) => o.key === key) as OptionSpec;
    return fromFlags.has(spec.flag) || Boolean(env[spec.env]);
  };
  if (explicitly('redisSentinels') && explicitly('redisUrl'))
    errors.push('give either REDIS_URL or REDIS_SENTINELS, not both');
  else if (typeof config.redisSentinels === 'string') {
    const target = redisTargetOf(config as unknown as RelayConfig);
    if (target.error) errors.push(target.error);
  }
  const secret = config.secret;
  if (typeof secret === 'string' && secret.length < MIN_SECRET_LENGTH) {
    errors.push(`RELAY_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const soft = Number(config.softBufferBytes);
  const hard = Number(config.hardBufferBytes);
  if (!errors.length && soft >= hard)
    errors.push('RELAY_SOFT_BUFFER_BYTES must be below RELAY_HARD_BUFFER_BYTES');
  if (errors.length) return { ok: false, help: false, errors };
  return { ok: true, config: config as unknown as RelayConfig };
}

export function relayHelp(): string {
  const lines = [
    'Usage: npm run relay -- [flags]',
    '',
    'Lodestar relay: authenticated Redis -> WebSocket fan-out of member location fixes.',
    'Every option can be given as an environment variable or a flag (flags win).',
    '',
  ];
  for (const o of RELAY_OPTIONS) {
    const shown = typeof o.default === 'boolean' ? (o.default ? 'on' : 'off') : JSON.stringify(o.default);
    const def =
      o.default === undefined ? '(required)' : o.default === '' ? 'default none' : `default ${shown}`;
    lines.push(`  ${o.flag.padEnd(26)} ${o.env.padEnd(30)} ${def}`);
    lines.push(`  ${''.padEnd(26)} ${o.description}`);
  }
  return lines.join('\n') + '\n';
}
