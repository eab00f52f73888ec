/**
 * The relay's fix source with positioning on (a drop-in for relay/fix-source.ts `rawChannelSource`): raw messages
 * are positioned, and the fan-out is fed from the positioned channel, so every relay instance delivers every fix
 * once, with its position, whichever instance positioned it.
 *
 * Two subscriptions on the one subscriber connection:
 * - the raw channel (unless `positionRaw` is false, e.g. when the PHP backend calls the script itself): each
 *   message goes through `positionRawMessage`; the first relay wins, the others get `duplicate`;
 * - the positioned channel: each message is validated (anyone with Redis access can publish there) and handed to
 *   the sink.
 */
import type { Redis } from 'ioredis';
import type { FixSink, FixSource } from '../fix-source.js';
import type { RelayMetrics } from '../metrics.js';
import type { SampledWarn } from '../sampled-warn.js';
import { parsePositionedMessage } from './positioned-message.js';
import type { Positioning } from './positioning.js';
import { positionRawMessage } from './raw-consumer.js';
import { RepeatCounter } from './repeat-counter.js';

/** Longest sample of a dropped message kept in a log line. */
const SAMPLE_CHARS = 200;

export interface PositionedSourceOptions {
  /** The raw channel (`location_update`). */
  rawChannel: string;
  /** Position raw messages (default true). Off when only PHP or ingest positions fixes. */
  positionRaw?: boolean;
  /**
   * Most raw messages being positioned at once (default 20,000). Past it a raw message is dropped and counted
   * (`position_overloaded`) instead of queued: Redis takes ~10-20k position calls/s, and a flood beyond that would
   * otherwise grow the relay's memory without bound. Another relay may still position it.
   */
  maxInflight?: number;
  metrics: Pick<RelayMetrics, 'fixesDropped' | 'fixesReceived'>;
  warn: SampledWarn;
}

export function positionedChannelSource(
  subscriber: Redis,
  positioning: Positioning,
  options: PositionedSourceOptions,
): FixSource {
  const positionedChannel = positioning.options.positionedChannel;
  const positionRaw = options.positionRaw ?? true;
  const channels = positionRaw ? [options.rawChannel, positionedChannel] : [positionedChannel];
  let listener: ((channel: string, message: string) => void) | undefined;
  const repeats = new RepeatCounter(positioning.options.idempotencyTtlMs);
  const maxInflight = options.maxInflight ?? 20_000;
  let inflight = 0;

  const drop = (reason: string, detail: string, message: string) => {
    options.metrics.fixesDropped.inc({ reason });
    options.warn(
      `drop:${reason}`,
      { reason, detail, sample: message.slice(0, SAMPLE_CHARS) },
      'dropped a fix',
    );
  };

  function onRaw(message: string): void {
    const now = Date.now();
    // Counted even when dropped: every relay must number repeats of the same bytes alike.
    const occurrence = repeats.next(message, now);
    if (inflight >= maxInflight) {
      drop('position_overloaded', `${inflight} raw messages already being positioned`, message);
      return;
    }
    inflight++;
    positionRawMessage(positioning, message, now, occurrence)
      .then(
        (outcome) => {
          if (outcome.status === 'rejected') drop(outcome.reason, outcome.message, message);
        },
        // Redis refused or went away mid-call: this relay could not position it (another one may have).
        (error: Error) => drop('position_failed', error.message, message),
      )
      .finally(() => inflight--);
  }

  function onPositioned(message: string, sink: FixSink): void {
    const receivedAt = Date.now();
    const parsed = parsePositionedMessage(message);
    if (!parsed.ok) {
      drop(`positioned_${parsed.reason}`, parsed.message, message);
      return;
    }
    options.metrics.fixesReceived.inc();
    sink(parsed.value, receivedAt);
  }

  return {
    async start(sink) {
      listener = (channel, message) => {
        if (channel === positionedChannel) onPositioned(message, sink);
        else if (positionRaw && channel === options.rawChannel) onRaw(message);
      };
      subscriber.on('message', listener);
      // Resolves once subscribed; while Redis is away ioredis queues it and resubscribes after every reconnect.
      void subscriber.subscribe(...channels).catch(() => undefined);
    },
    async stop() {
      if (listener) subscriber.off('message', listener);
      listener = undefined;
      await subscriber.unsubscribe(...channels).catch(() => undefined);
    },
  };
}
