/**
 * The relay's HTTP side as a real process: slow or silent clients are disconnected within 10 s (the default
 * RELAY_HEADERS_TIMEOUT_MS), and /metrics can live on its own host and port (RELAY_METRICS_HOST/PORT), away from
 * the port stations and the mini-program reach.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../test/support/ports.js';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import { spawnRelay, type SpawnedRelay } from '../test/support/relay.js';
import { silentClient, slowHeadersClient } from '../test/support/slow-clients.js';

let redis: PrivateRedis;
let relay: SpawnedRelay;
let metricsPort: number;

beforeAll(async () => {
  redis = await startPrivateRedis();
  metricsPort = await freePort();
  relay = await spawnRelay({
    REDIS_URL: redis.url,
    RELAY_METRICS_HOST: '127.0.0.1',
    RELAY_METRICS_PORT: String(metricsPort),
  });
}, 30_000);
afterAll(async () => {
  relay?.child.kill('SIGKILL');
  await redis?.stop();
});

describe('relay HTTP', () => {
  it('serves /metrics only on its own port when RELAY_METRICS_PORT is set', async () => {
    expect((await fetch(`${relay.httpUrl}/metrics`)).status).toBe(404);
    expect((await fetch(`${relay.httpUrl}/healthz`)).status).toBe(200);
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('lodestar_relay_connections');
    expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(404);
  });

  it('disconnects silent and slow-header clients within 10 s', async () => {
    const [silent, slow] = await Promise.all([silentClient(relay.port), slowHeadersClient(relay.port)]);
    expect(silent).toBeLessThanOrEqual(11_500);
    expect(slow).toBeLessThanOrEqual(11_500);
  }, 30_000);
});
