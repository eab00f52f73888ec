/**
 * Where the fan-out's fixes come from. With positioning off: the raw channel the customer's PHP publishes on, each
 * message parsed with protocol's `parseRawFix` (this file). With positioning on (the default), positioned-relay.ts
 * gives a source that reads the positioned channel instead; the fan-out is the same for both.
 */
import type { Fix } from '../protocol/fix.js';
import { parseRawFix } from '../protocol/fix.js';
import type { RelayMetrics } from './metrics.js';
import type { SampledWarn } from './sampled-warn.js';
import { REDIS_GOODBYE_MS, SUBSCRIBE_WAIT_MS, settleWithin } from './bounded-wait.js';
import { redactSample } from './redact-sample.js';

/** Called once per valid fix with the time it was received (ms), for latency measurement. */
export type FixSink = (fix: Fix, receivedAt: number) => void;

/** A subscriber connection as the sources use it: ioredis `Redis`, or relay/redis-cluster.ts under Cluster. */
export interface MessageSubscriber {
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  off(event: 'message', listener: (channel: string, message: string) => void): unknown;
  subscribe(...channels: string[]): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
}

export interface FixSource {
  start(sink: FixSink): Promise<void>;
  stop(): Promise<void>;
}

export function rawChannelSource(
  subscriber: MessageSubscriber,
  channel: string,
  metrics: RelayMetrics,
  warn: SampledWarn,
): FixSource {
  let listener: ((ch: string, message: string) => void) | undefined;
  return {
    async start(sink) {
      listener = (ch, message) => {
        if (ch !== channel) return;
        const receivedAt = Date.now();
        const parsed = parseRawFix(message, receivedAt);
        if (!parsed.ok) {
          metrics.fixesDropped.inc({ reason: parsed.reason });
          warn(
            `drop:${parsed.reason}`,
            () => ({ reason: parsed.reason, detail: parsed.message, sample: redactSample(message) }),
            'dropped a bad message from redis',
          );
          return;
        }
        for (const field of parsed.dropped ?? []) metrics.fixFieldsDropped.inc({ field });
        metrics.fixesReceived.inc();
        sink(parsed.value, receivedAt);
      };
      subscriber.on('message', listener);
      // Resolves once subscribed; while Redis is away ioredis queues it and resubscribes after every reconnect.
      // Stations are taken once it did (or after SUBSCRIBE_WAIT_MS): see bounded-wait.ts.
      await settleWithin(subscriber.subscribe(channel), SUBSCRIBE_WAIT_MS);
    },
    async stop() {
      if (listener) subscriber.off('message', listener);
      listener = undefined;
      await settleWithin(subscriber.unsubscribe(channel), REDIS_GOODBYE_MS);
    },
  };
}
