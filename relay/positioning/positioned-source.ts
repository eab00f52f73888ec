/**
 * The relay's fix source with positioning on (a drop-in for relay/fix-source.ts `rawChannelSource`): raw messages
 * are positioned, and the fan-out is fed from the positioned channel, so every relay instance delivers every fix
 * once, with its position, whichever instance positioned it.
 *
 * Two subscriptions on the one subscriber connection:
 * - the raw channel (unless `positionRaw` is false, e.g. when the PHP backend calls the script itself): each
 *   message is parsed and named (`prepareRawMessage`); the messages of one event-loop turn (at most
 *   MAX_POSITION_BATCH) are positioned by one `positionBatch` script call; the first relay wins, the others get
 *   `duplicate`;
 * - the positioned channel: each message (one fix, or a batch's array) is validated (anyone with Redis access can
 *   publish there) and each fix handed to the sink.
 */
import type { Redis } from 'ioredis';
import type { FixSink, FixSource } from '../fix-source.js';
import type { RelayMetrics } from '../metrics.js';
import type { SampledWarn } from '../sampled-warn.js';
import { parsePositionedMessages } from './positioned-message.js';
import { MAX_POSITION_BATCH, type BatchItem, type Positioning } from './positioning.js';
import { prepareRawMessage } from './raw-consumer.js';
import { RepeatCounter } from './repeat-counter.js';
import { redactSample } from '../redact-sample.js';

export interface PositionedSourceOptions {
  /** The raw channel (`location_update`). */
  rawChannel: string;
  /** Position raw messages (default true). Off when only PHP or ingest positions fixes. */
  positionRaw?: boolean;
  /**
   * Most raw messages being positioned at once (default 20,000). Past it a raw message is dropped and counted
   * (`position_overloaded`) instead of queued: Redis positions ~20-30k fixes/s, and a flood beyond that would
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
      () => ({ reason, detail, sample: redactSample(message) }),
      'dropped a fix',
    );
  };

  /** Raw messages waiting for this turn's batch, with their own text for drop reports. */
  let pending: { item: BatchItem; message: string }[] = [];

  function flush(): void {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    positioning
      .positionBatch(batch.map((p) => p.item))
      .then(
        (outcomes) =>
          outcomes.forEach((outcome, i) => {
            if (typeof outcome !== 'string')
              drop('position_failed', outcome.message, batch[i]?.message ?? '');
          }),
        // Redis refused or went away mid-call: this relay could not position them (another one may have).
        (error: Error) => batch.forEach((p) => drop('position_failed', error.message, p.message)),
      )
      .finally(() => (inflight -= batch.length));
  }

  function onRaw(message: string): void {
    // Repeats are counted before the overload check, even for a message dropped there: every relay must number
    // repeats of the same bytes alike.
    const prepared = prepareRawMessage(message, Date.now(), repeats);
    if (prepared.status === 'rejected') {
      drop(prepared.reason, prepared.message, message);
      return;
    }
    if (inflight >= maxInflight) {
      drop('position_overloaded', `${inflight} raw messages already being positioned`, message);
      return;
    }
    inflight++;
    pending.push({ item: prepared, message });
    // ioredis emits every message of one socket read in one turn: they go out together after it.
    if (pending.length === 1) setImmediate(flush);
    else if (pending.length >= MAX_POSITION_BATCH) flush();
  }

  function onPositioned(message: string, sink: FixSink): void {
    const receivedAt = Date.now();
    const { fixes, rejected } = parsePositionedMessages(message);
    for (const r of rejected) drop(`positioned_${r.reason}`, r.message, message);
    for (const fix of fixes) {
      options.metrics.fixesReceived.inc();
      sink(fix, receivedAt);
    }
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
