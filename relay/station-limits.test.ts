/**
 * Bounds per station and per operator, against a real relay and a private Redis: replies (history pages) count
 * against the connection's backlog like fixes, so a station that asks for history and stops reading is closed with
 * 4008 before it costs more than the hard limit; and an operator may hold at most
 * RELAY_MAX_CONNECTIONS_PER_OPERATOR connections.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningRelay } from './app.js';
import { createPositioning } from './positioning/positioning.js';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import { connectStation, operatorToken, refusedUpgrade, startTestRelay } from '../test/support/relay.js';

const PREFIX = 'station-limits:';
const HARD = 1024 * 1024;
let redis: PrivateRedis;
let relay: RunningRelay;
let backend: Redis;

beforeAll(async () => {
  redis = await startPrivateRedis();
  relay = await startTestRelay({
    redisUrl: redis.url,
    keyPrefix: PREFIX,
    softBufferBytes: 64 * 1024,
    hardBufferBytes: HARD,
    maxConnectionsPerOperator: 2,
  });
  backend = new Redis(redis.url, { enableAutoPipelining: true });
  const positioning = createPositioning(backend, { keyPrefix: PREFIX });
  const t0 = Date.now() - 60_000;
  await Promise.all(
    Array.from({ length: 1000 }, (_, i) =>
      positioning.position({ uid: '51', lat: 23.1, lon: 113.3, ts: t0 + i, crs: 'gcj02' }, `k${i}`),
    ),
  );
}, 30_000);
afterAll(async () => {
  backend.disconnect();
  await relay.close({ drainMs: 0 });
  await redis.stop();
});

async function closes4008(): Promise<number> {
  const text = await (await fetch(`${relay.httpUrl}/metrics`)).text();
  return Number(/lodestar_relay_closes_total\{code="4008"\} (\d+)/.exec(text)?.[1] ?? 0);
}

describe('replies count against the backlog', () => {
  it('closes a station that asks for history and stops reading with 4008, within the hard limit', async () => {
    const before = await closes4008();
    const ws = new WebSocket(relay.wsUrl, {
      headers: { authorization: `Bearer ${await operatorToken('*', 3600, 'reader')}` },
    });
    await new Promise((resolve) => ws.once('message', resolve)); // welcome
    // Stop reading: the socket's bytes pile up in the kernel, then in the relay.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    let highest = 0;
    for (let i = 0; i < 60 && (await closes4008()) === before; i++) {
      ws.send(JSON.stringify({ type: 'history', id: `h${i}`, uid: '51', from: 0, to: Date.now() }));
      await new Promise((r) => setTimeout(r, 20));
      highest = Math.max(highest, relay.stats().backlogBytes);
    }
    expect(await closes4008()).toBe(before + 1);
    // One page is ~170 KB: the page that would cross the hard limit is not queued, the connection is closed.
    expect(highest).toBeLessThanOrEqual(HARD);
    ws.terminate();
  }, 30_000);
});

describe('connections per operator', () => {
  it('refuses a third connection of one operator with 429, not another operator’s', async () => {
    const token = await operatorToken('*', 3600, 'busy');
    const first = await connectStation(relay.wsUrl, token);
    const second = await connectStation(relay.wsUrl, token);
    const refused = await refusedUpgrade(relay.wsUrl, { authorization: `Bearer ${token}` });
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'too_many_connections' } } });
    const other = await connectStation(relay.wsUrl, await operatorToken('*', 3600, 'quiet'));
    await first.close();
    const again = await connectStation(relay.wsUrl, token);
    await Promise.all([second.close(), other.close(), again.close()]);
  });
});
