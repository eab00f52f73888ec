/**
 * Memory per idle station connection: 10,000 stations connect to one relay (private Redis, positioning on, the
 * defaults), each authenticated and watching one member, and nothing is published. The relay's resident memory
 * (VmRSS) is read before the first connection and once all are open and the relay has settled; the difference
 * divided by the connections is what each costs, sockets, `ws` and the relay's own state included.
 */
import { spawnRelay } from '../test/support/relay.js';
import { memoryKbOf } from './proc-stats.js';
import { openStationsInChild } from './relay-stations.js';

export const IDLE_CONNECTIONS = 10_000;
const SETTLE_MS = 3000;

export interface IdleResult {
  connections: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  kbPerConnection: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function idleMemory(redisUrl: string, token: string): Promise<IdleResult> {
  const relay = await spawnRelay({
    REDIS_URL: redisUrl,
    // The bench's stations all share one operator token: no per-operator connection limit here.
    RELAY_MAX_CONNECTIONS_PER_OPERATOR: '0',
    RELAY_DRAIN_MS: '0',
    RELAY_KEY_PREFIX: 'bench-idle:',
  });
  try {
    await sleep(SETTLE_MS);
    const before = memoryKbOf(relay.child.pid).rss;
    const lists = Array.from({ length: IDLE_CONNECTIONS }, (_, s) => [String(1 + (s % 1000))]);
    const pool = await openStationsInChild(relay.wsUrl, token, lists);
    await sleep(SETTLE_MS);
    const after = memoryKbOf(relay.child.pid).rss;
    await pool.close();
    const result = {
      connections: IDLE_CONNECTIONS,
      rssBeforeMb: before / 1024,
      rssAfterMb: after / 1024,
      kbPerConnection: (after - before) / IDLE_CONNECTIONS,
    };
    process.stderr.write(
      `bench: ${IDLE_CONNECTIONS.toLocaleString('en-US')} idle stations: relay RSS ${result.rssBeforeMb.toFixed(0)} → ` +
        `${result.rssAfterMb.toFixed(0)} MB, ${result.kbPerConnection.toFixed(1)} KB per connection\n`,
    );
    return result;
  } finally {
    relay.child.kill('SIGTERM');
    await relay.exited;
  }
}
