/**
 * The relay's Prometheus metrics, all named `lodestar_relay_*`, on one Registry per relay (tests run several
 * relays in one process, so nothing goes on prom-client's global registry).
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { FIX_REJECT_REASONS } from '../protocol/fix.js';
import { PlainHistogram } from './plain-histogram.js';

export interface RelayMetrics {
  registry: Registry;
  connections: Gauge;
  watches: Gauge;
  watchedMembers: Gauge;
  fixesReceived: Counter;
  fixesDelivered: Counter;
  fixesCoalesced: Counter;
  fixesDropped: Counter<'reason'>;
  /** Optional fields dropped from accepted fixes (speed < 0, heading outside [0, 360)). */
  fixFieldsDropped: Counter<'field'>;
  /** Observed once per fix: a PlainHistogram, exported as prom-client's Histogram would be. */
  deliveryLatency: PlainHistogram;
  redisReconnects: Counter<'connection'>;
  redisUp: Gauge;
  authFailures: Counter<'code'>;
  stationErrors: Counter<'code'>;
  closes: Counter<'code'>;
  /** Catch-ups reading or writing their replay, over all connections (catchup-slots.ts). */
  catchupsRunning: Gauge;
  /** Catch-ups waiting for one of their connection's slots. */
  catchupsQueued: Gauge;
  /** Catch-ups that had to wait for a slot. */
  catchupsWaited: Counter;
  /** WAITs for replicas that came back short with the master still there (the batch waits again, unpublished). */
  replicaAckTimeouts: Counter;
}

export interface MetricsSources {
  connections(): number;
  watches(): number;
  watchedMembers(): number;
  redisUp(): boolean;
  /** Running totals kept as plain numbers on the hot path. */
  tally: { delivered: number; coalesced: number };
}

export function createRelayMetrics(sources: MetricsSources, registry = new Registry()): RelayMetrics {
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'lodestar_relay_' });
  const fixesDropped = new Counter({
    name: 'lodestar_relay_fixes_dropped_total',
    help: 'Raw Redis messages dropped, by reason',
    labelNames: ['reason'] as const,
    registers,
  });
  // Every reason is exported from the start (as 0), so dashboards and alerts see the series before the first drop.
  for (const reason of FIX_REJECT_REASONS) fixesDropped.inc({ reason }, 0);
  return {
    registry,
    connections: new Gauge({
      name: 'lodestar_relay_connections',
      help: 'Open station connections',
      registers,
      collect() {
        this.set(sources.connections());
      },
    }),
    watches: new Gauge({
      name: 'lodestar_relay_watches',
      help: 'Watched (connection, member) pairs',
      registers,
      collect() {
        this.set(sources.watches());
      },
    }),
    watchedMembers: new Gauge({
      name: 'lodestar_relay_watched_members',
      help: 'Distinct members watched by at least one connection',
      registers,
      collect() {
        this.set(sources.watchedMembers());
      },
    }),
    fixesReceived: new Counter({
      name: 'lodestar_relay_fixes_received_total',
      help: 'Valid fixes received from Redis',
      registers,
    }),
    fixesDelivered: new Counter({
      name: 'lodestar_relay_fixes_delivered_total',
      help: 'Fix messages handed to station sockets (one per watching connection)',
      registers,
      collect() {
        this.reset();
        this.inc(sources.tally.delivered);
      },
    }),
    fixesCoalesced: new Counter({
      name: 'lodestar_relay_fixes_coalesced_total',
      help: 'Fix messages replaced by a newer fix of the same member before a slow station could take them',
      registers,
      collect() {
        this.reset();
        this.inc(sources.tally.coalesced);
      },
    }),
    fixesDropped,
    deliveryLatency: new PlainHistogram({
      name: 'lodestar_relay_delivery_latency_seconds',
      help: 'From receiving a fix on Redis to handing it to the last watching socket',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    replicaAckTimeouts: new Counter({
      name: 'lodestar_relay_replica_ack_timeouts_total',
      help: 'WAITs for replica acknowledgement of a positioned batch that timed out; the batch waited again, unpublished',
      registers,
    }),
    redisReconnects: new Counter({
      name: 'lodestar_relay_redis_reconnects_total',
      help: 'Redis reconnection attempts, by connection',
      labelNames: ['connection'] as const,
      registers,
    }),
    redisUp: new Gauge({
      name: 'lodestar_relay_redis_up',
      help: '1 while both Redis connections are ready',
      registers,
      collect() {
        this.set(sources.redisUp() ? 1 : 0);
      },
    }),
    authFailures: new Counter({
      name: 'lodestar_relay_auth_failures_total',
      help: 'Refused websocket upgrades and token refreshes, by code',
      labelNames: ['code'] as const,
      registers,
    }),
    stationErrors: new Counter({
      name: 'lodestar_relay_station_errors_total',
      help: 'Error messages sent to stations, by code',
      labelNames: ['code'] as const,
      registers,
    }),
    fixFieldsDropped: new Counter({
      name: 'lodestar_relay_fix_fields_dropped_total',
      help: 'Optional fields left out of accepted fixes because they meant "unknown" or were out of range, by field',
      labelNames: ['field'] as const,
      registers,
    }),
    closes: new Counter({
      name: 'lodestar_relay_closes_total',
      help: 'Station connections closed, by close code',
      labelNames: ['code'] as const,
      registers,
    }),
    catchupsRunning: new Gauge({
      name: 'lodestar_relay_catchups_running',
      help: 'Catch-ups reading or writing their replay, over all connections',
      registers,
    }),
    catchupsQueued: new Gauge({
      name: 'lodestar_relay_catchups_queued',
      help: 'Catch-ups waiting for a slot of their connection (RELAY_CATCHUP_CONCURRENCY at once per connection)',
      registers,
    }),
    catchupsWaited: new Counter({
      name: 'lodestar_relay_catchups_waited_total',
      help: 'Catch-ups that waited for a slot of their connection',
      registers,
    }),
  };
}
