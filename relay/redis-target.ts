/**
 * Which Redis the relay talks to, decided from configuration (pure, table-tested): one server by URL, the current
 * master of a Sentinel-monitored group, or a Redis Cluster. relay/redis.ts turns the target into connections.
 */
export interface HostPort {
  host: string;
  port: number;
}

export type RedisTarget =
  | { kind: 'url'; url: string }
  | {
      kind: 'sentinel';
      sentinels: readonly HostPort[];
      masterName: string;
      /** The master's and replicas' password (AUTH), if they require one. */
      password?: string;
      /** The sentinels' own password, if they require one. */
      sentinelPassword?: string;
    }
  | {
      kind: 'cluster';
      /** Some nodes of the cluster: the relay learns the others (and who owns which slot) from them. */
      nodes: readonly HostPort[];
      /** The nodes' password (AUTH), if they require one. */
      password?: string;
    };

export interface RedisTargetSettings {
  redisUrl: string;
  redisSentinels: string;
  redisMasterName: string;
  redisPassword: string;
  redisSentinelPassword: string;
  redisClusterNodes: string;
}

/** `host:port,host:port` (IPv6 as `[::1]:26379`); a missing port is an error, not a silent default. */
export function parseHostPorts(text: string, source: string): { value?: HostPort[]; error?: string } {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length) return { error: `${source} lists no host:port` };
  const value: HostPort[] = [];
  for (const item of items) {
    const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(item);
    const port = Number(m?.[3]);
    if (!m || port < 1 || port > 65535)
      return { error: `${source}: "${item}" is not host:port (port 1-65535)` };
    value.push({ host: (m[1] ?? m[2]) as string, port });
  }
  return { value };
}

export function redisTargetOf(
  settings: RedisTargetSettings,
): { target: RedisTarget; error?: undefined } | { target?: undefined; error: string } {
  if (settings.redisClusterNodes) {
    if (settings.redisSentinels)
      return { error: 'give either REDIS_CLUSTER_NODES or REDIS_SENTINELS, not both' };
    const nodes = parseHostPorts(settings.redisClusterNodes, 'REDIS_CLUSTER_NODES');
    if (!nodes.value) return { error: nodes.error as string };
    return {
      target: {
        kind: 'cluster',
        nodes: nodes.value,
        ...(settings.redisPassword ? { password: settings.redisPassword } : {}),
      },
    };
  }
  if (!settings.redisSentinels) return { target: { kind: 'url', url: settings.redisUrl } };
  const parsed = parseHostPorts(settings.redisSentinels, 'REDIS_SENTINELS');
  if (!parsed.value) return { error: parsed.error as string };
  return {
    target: {
      kind: 'sentinel',
      sentinels: parsed.value,
      masterName: settings.redisMasterName,
      ...(settings.redisPassword ? { password: settings.redisPassword } : {}),
      ...(settings.redisSentinelPassword ? { sentinelPassword: settings.redisSentinelPassword } : {}),
    },
  };
}

/** For logs: where the relay connects, without any password. */
export function describeRedisTarget(target: RedisTarget): string {
  if (target.kind === 'cluster')
    return `cluster via ${target.nodes.map((s) => `${s.host}:${s.port}`).join(',')}`;
  if (target.kind === 'sentinel')
    return `sentinel master "${target.masterName}" via ${target.sentinels.map((s) => `${s.host}:${s.port}`).join(',')}`;
  try {
    const url = new URL(target.url);
    url.password = '';
    url.username = '';
    return url.toString();
  } catch {
    return 'redis (unparsable URL)';
  }
}
