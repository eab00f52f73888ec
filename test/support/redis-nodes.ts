/**
 * What the test starters of several Redis processes (redis-cluster.ts, redis-sentinel.ts) share: whether a child
 * still runs, one short-lived command to a node, and waiting on nodes that may not answer yet.
 */
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';

/** A child killed by a signal keeps exitCode null: check both. */
export const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

/**
 * Resolves with the first value `check` gives other than undefined (false included: "gave up"); a check that
 * throws counts as not yet, since the node asked may still be starting or be the one just killed. Unlike wait.ts
 * `until`, which polls for a truthy fact, this one waits on Redis processes coming and going.
 */
export async function untilAnswered<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One short-lived command to a server, node or sentinel, failing fast when it is down. */
export async function askNode(port: number, ...args: string[]): Promise<unknown> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(args[0] as string, ...args.slice(1));
  } finally {
    client.disconnect();
  }
}

/** The port of a master's first replica, from its `INFO replication`. */
export function replicaPort(info: string): number {
  const port = Number(/^slave0:.*\bport=(\d+)/m.exec(info)?.[1]);
  if (!port) throw new Error('the master has no replica');
  return port;
}

/**
 * Cut a replica off its master as a partition would, the replica still serving its clients: a wrong `masterauth`
 * makes its reconnects fail, then its link is dropped on the master. What the master writes from then on reaches
 * no replica. The returned function lets it reconnect.
 */
export async function cutReplica(master: number, replica: number): Promise<() => Promise<void>> {
  await askNode(replica, 'CONFIG', 'SET', 'masterauth', 'lodestar-test-cut');
  await askNode(master, 'CLIENT', 'KILL', 'TYPE', 'replica');
  return async () => {
    await askNode(replica, 'CONFIG', 'SET', 'masterauth', '').catch(() => undefined);
  };
}
