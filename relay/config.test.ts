import { describe, expect, it } from 'vitest';
import { DEFAULT_RELAY_CONFIG, RELAY_OPTIONS, parseRelayConfig, relayHelp } from './config.js';

const SECRET = 'a-secret-of-enough-length';

describe('parseRelayConfig', () => {
  it('uses the documented defaults', () => {
    const r = parseRelayConfig([], { RELAY_SECRET: SECRET });
    expect(r).toEqual({ ok: true, config: { ...DEFAULT_RELAY_CONFIG, secret: SECRET } });
    expect(DEFAULT_RELAY_CONFIG).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
      channel: 'location_update',
      port: 30582,
      keyPrefix: 'lodestar:',
    });
  });

  it.each([
    [['--port', '1234'], {}, { port: 1234 }],
    [['--port=1235'], { RELAY_PORT: '9' }, { port: 1235 }],
    [
      [],
      { RELAY_PORT: '9', RELAY_CHANNEL: 'c', REDIS_URL: 'redis://x:1' },
      { port: 9, channel: 'c', redisUrl: 'redis://x:1' },
    ],
    [['--key-prefix', 'test:'], {}, { keyPrefix: 'test:' }],
    [[], { RELAY_DRAIN_MS: '0' }, { drainMs: 0 }],
    [[], {}, { redisSentinels: '', redisMasterName: 'mymaster', redisPassword: '' }],
    [
      ['--redis-sentinels', 's1:26379,s2:26379'],
      { REDIS_MASTER_NAME: 'lodestar', REDIS_PASSWORD: 'pw', REDIS_SENTINEL_PASSWORD: 'spw' },
      {
        redisSentinels: 's1:26379,s2:26379',
        redisMasterName: 'lodestar',
        redisPassword: 'pw',
        redisSentinelPassword: 'spw',
      },
    ],
    [[], { REDIS_CLUSTER_NODES: 'n1:7000,n2:7001' }, { redisClusterNodes: 'n1:7000,n2:7001' }],
    [[], {}, { positioning: true, windowMs: 86_400_000, replayMax: 10_000, historyPageMax: 1000 }],
    [['--positioning', 'off'], {}, { positioning: false }],
    [[], { RELAY_POSITION_RAW: 'off' }, { positionRaw: false }],
    [[], {}, { replicaAcks: 'auto' }],
    [['--replica-acks', '0'], {}, { replicaAcks: 0 }],
    [[], { RELAY_REPLICA_ACKS: '2' }, { replicaAcks: 2 }],
    [[], { RELAY_POSITIONING: 'OFF' }, { positioning: false }],
    [['--positioning=on'], { RELAY_POSITIONING: '0' }, { positioning: true }],
    [[], { RELAY_WINDOW_MS: '5000', RELAY_REPLAY_MAX: '7' }, { windowMs: 5000, replayMax: 7 }],
    [
      ['--ingest-rate-burst', '5', '--ingest-max-batch=10'],
      { RELAY_INGEST_RATE_PER_SECOND: '9', RELAY_INGEST_DEDUP_TTL_SECONDS: '60' },
      { ingestRateBurst: 5, ingestMaxBatch: 10, ingestRatePerSecond: 9, ingestDedupTtlSeconds: 60 },
    ],
  ] as const)('%j with env %j', (argv, env, expected) => {
    const r = parseRelayConfig(argv, { RELAY_SECRET: SECRET, ...env });
    expect(r.ok && r.config).toMatchObject(expected);
  });

  it.each([
    [[], {}, /RELAY_SECRET .* is required/],
    [[], { RELAY_SECRET: 'short' }, /at least 16/],
    [['--port', 'abc'], { RELAY_SECRET: SECRET }, /--port must be an integer from 0 to 65535/],
    [['--port', '70000'], { RELAY_SECRET: SECRET }, /--port must be an integer from 0 to 65535, got "70000"/],
    [['--bogus'], { RELAY_SECRET: SECRET }, /unknown option --bogus/],
    [['--channel'], { RELAY_SECRET: SECRET }, /needs a value/],
    [[], { RELAY_SECRET: SECRET, RELAY_HEARTBEAT_MS: '5' }, /at least 100/],
    [[], { RELAY_SECRET: SECRET, RELAY_POSITIONING: 'maybe' }, /RELAY_POSITIONING must be on or off/],
    [[], { RELAY_SECRET: SECRET, RELAY_WINDOW_MS: '10' }, /at least 1000/],
    [
      [],
      { RELAY_SECRET: SECRET, RELAY_REPLICA_ACKS: 'yes' },
      /RELAY_REPLICA_ACKS must be auto or an integer/,
    ],
    [[], { RELAY_SECRET: SECRET, RELAY_SOFT_BUFFER_BYTES: '9000000' }, /below RELAY_HARD_BUFFER_BYTES/],
    [[], { RELAY_SECRET: SECRET, REDIS_SENTINELS: 's1' }, /REDIS_SENTINELS: "s1" is not host:port/],
    [
      ['--redis-url', 'redis://x:1'],
      { RELAY_SECRET: SECRET, REDIS_SENTINELS: 's1:1' },
      /either REDIS_URL or REDIS_SENTINELS/,
    ],
    [[], { RELAY_SECRET: SECRET, REDIS_CLUSTER_NODES: 'n1' }, /REDIS_CLUSTER_NODES: "n1" is not host:port/],
    [
      [],
      { RELAY_SECRET: SECRET, REDIS_URL: 'redis://x:1', REDIS_CLUSTER_NODES: 'n1:1' },
      /either REDIS_URL or REDIS_CLUSTER_NODES/,
    ],
    [
      [],
      { RELAY_SECRET: SECRET, REDIS_SENTINELS: 's1:1', REDIS_CLUSTER_NODES: 'n1:1' },
      /either REDIS_CLUSTER_NODES or REDIS_SENTINELS/,
    ],
  ] as const)('%j with env %j is refused', (argv, env, message) => {
    const r = parseRelayConfig(argv, env);
    expect(r.ok).toBe(false);
    if (!r.ok && !r.help) expect(r.errors.join('\n')).toMatch(message);
  });

  it('--help lists every option with its variable and default', () => {
    expect(parseRelayConfig(['--help'], {})).toEqual({ ok: false, help: true });
    const help = relayHelp();
    for (const o of Object.values(RELAY_OPTIONS)) {
      expect(help).toContain(o.flag);
      expect(help).toContain(o.env);
    }
    expect(help).toContain('default 30582');
    expect(help).toMatch(/--positioning\s+RELAY_POSITIONING\s+default on/);
  });
});
