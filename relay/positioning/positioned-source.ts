/**
 * The relay's fix source with positioning on (a drop-in for relay/fix-source.ts `rawChannelSource`): raw messages
 * are positioned, and the fan-out is fed from the positioned channel, so every relay instance delivers every fix
 * once, with its position, whichever instance positioned it.
 *
 * Two subscriptions on the one subscriber connection:
 * - the raw channel (unless `positionRaw` is false, e.g. when the PHP backend calls the script itself): each
 *   message is parsed and named (`prepareRawMessage`); the messages of one event-loop turn (at most
 *   MAX_POSITION_BATCH) are positioned by one `positionBatch` script call; the first relay wins, the others get
 *   `duplicate`; while the command connection is down (Redis restarting, or it reconnects after the subscriber)
 *   they are held in a bounded backlog (raw-backlog.ts) and positioned once it is back; what the bound gives up
 *   is counted (`position_backlog_full`, `position_backlog_expired`) and reported per member (`onLost`);
 * - the positioned channel: each message (one fix, or a batch's array) is validated (anyone with Redis access can
 *   publish there) and each fix handed to the sink.
 */
import { REDIS_GOODBYE_MS, SUBSCRIBE_WAIT_MS, settleWithin } from '../bounded-wait.js';
import type { FixSink, FixSource, MessageSubscriber } from '../fix-source.js';
import type { RelayMetrics } from '../metrics.js';
import type { SampledWarn } from '../sampled-warn.js';
import { parsePositionedMessages } from './positioned-message.js';
import {
  MAX_POSITION_BATCH,
  PositioningError,
  type BatchItem,
  type BatchOutcome,
  type Positioning,
} from './positioning.js';
import { DEFAULT_BACKLOG_LIMITS, LostTally, RawBacklog, type BacklogLimits } from './raw-backlog.js';
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
  metrics: Pick<RelayMetrics, 'fixesDropped' | 'fixesReceived'> &
    Partial<Pick<RelayMetrics, 'fixFieldsDropped'>>;
  warn: SampledWarn;
  /**
   * The command connection positioning runs on. While it is not ready, raw messages are held (raw-backlog.ts) and
   * positioned once it is back. Default: always ready (nothing is held; a failed batch is dropped).
   */
  connection?: { ready(): boolean; onReady(listener: () => void): void };
  backlog?: Partial<BacklogLimits>;
  /**
   * Members and how many of their raw messages were given up without an offset (the backlog's bounds), reported
   * at most once per `lostReportMs` (default 1 s) so the relay can tell its stations.
   */
  onLost?: (lost: ReadonlyMap<string, number>) => void;
  lostReportMs?: number;
}

/** How soon a held backlog is tried again when no `ready` event is coming (the connection is up). */
const BACKLOG_RETRY_MS = 100;

export function positionedChannelSource(
  subscriber: MessageSubscriber,
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
  const connection = options.connection ?? { ready: () => true, onReady: () => undefined };
  const backlog = new RawBacklog<BatchItem>({ ...DEFAULT_BACKLOG_LIMITS, ...options.backlog });
  const lost = new LostTally();
  let lostTimer: NodeJS.Timeout | undefined;
  let drainTimer: NodeJS.Timeout | undefined;
  let draining = false;
  let stopped = false;

  /** A raw message that will never get an offset from this relay: counted, sampled, and reported per member. */
  const giveUp = (reason: string, detail: string, entry: { uid: string; message: string }) => {
    drop(reason, detail, entry.message);
    lost.add(entry.uid);
    lostTimer ??= setTimeout(() => {
      lostTimer = undefined;
      if (!lost.empty) options.onLost?.(lost.takeAll());
    }, options.lostReportMs ?? 1000);
  };

  const hold = (p: { item: BatchItem; message: string }) => {
    const refused = backlog.hold({
      uid: p.item.fix.uid,
      message: p.message,
      value: p.item,
      heldAt: Date.now(),
    });
    if (refused)
      giveUp(`position_${refused}`, 'the backlog of raw messages is full', {
        uid: p.item.fix.uid,
        message: p.message,
      });
    else scheduleDrain(BACKLOG_RETRY_MS);
  };

  /** One batch's outcomes: what Redis could not be asked about is held for later, bad input is dropped. */
  const settle = (
    batch: readonly { item: BatchItem; message: string }[],
    outcomes: readonly BatchOutcome[] | PositioningError,
  ): { item: BatchItem; message: string }[] => {
    const retry: { item: BatchItem; message: string }[] = [];
    batch.forEach((p, i) => {
      const outcome = outcomes instanceof PositioningError ? outcomes : outcomes[i];
      if (typeof outcome === 'string' || outcome === undefined) return;
      if (outcome.code === 'unavailable') retry.push(p);
      else drop('position_failed', outcome.message, p.message);
    });
    return retry;
  };

  const asError = (error: unknown) =>
    error instanceof PositioningError ? error : new PositioningError('unavailable', String(error));

  function flush(): void {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    if (!connection.ready()) {
      // Redis is away for commands: hold them rather than fail each one.
      inflight -= batch.length;
      batch.forEach(hold);
      return;
    }
    positioning
      .positionBatch(batch.map((p) => p.item))
      .then(
        (outcomes) => settle(batch, outcomes),
        // Redis refused or went away mid-call: no offset is known, so try again once it is back (a repeat of a
        // call that did run in Redis is answered `duplicate` by its idempotency claims).
        (error: unknown) => settle(batch, asError(error)),
      )
      .then((retry) => retry.forEach(hold))
      .finally(() => (inflight -= batch.length));
  }

  function scheduleDrain(delayMs: number): void {
    if (stopped || draining || drainTimer !== undefined || backlog.size === 0) return;
    drainTimer = setTimeout(() => {
      drainTimer = undefined;
      void drain();
    }, delayMs);
  }

  /** Position the held messages, oldest first, one batch at a time, while the connection stays up. */
  async function drain(): Promise<void> {
    if (draining || stopped) return;
    draining = true;
    try {
      while (backlog.size > 0 && connection.ready() && !stopped) {
        const { ready, expired } = backlog.take(MAX_POSITION_BATCH, Date.now());
        for (const e of expired) giveUp('position_backlog_expired', 'held too long while Redis was away', e);
        if (ready.length === 0) continue;
        const batch = ready.map((e) => ({ item: e.value, message: e.message }));
        let retry: { item: BatchItem; message: string }[];
        try {
          retry = settle(batch, await positioning.positionBatch(batch.map((p) => p.item)));
        } catch (error) {
          retry = settle(batch, asError(error));
        }
        if (retry.length > 0) {
          const again = new Set(retry);
          backlog.requeue(ready.filter((_, i) => again.has(batch[i] as (typeof batch)[number])));
          break;
        }
      }
    } finally {
      draining = false;
    }
    // Still held and the connection is up (a failure that was not a disconnect): try again shortly.
    if (connection.ready()) scheduleDrain(BACKLOG_RETRY_MS * 5);
  }

  connection.onReady(() => scheduleDrain(0));

  function onRaw(message: string): void {
    // Repeats are counted before the overload check, even for a message dropped there: every relay must number
    // repeats of the same bytes alike.
    const prepared = prepareRawMessage(message, Date.now(), repeats);
    if (prepared.status === 'rejected') {
      drop(prepared.reason, prepared.message, message);
      return;
    }
    for (const field of prepared.dropped ?? []) options.metrics.fixFieldsDropped?.inc({ field });
    if (inflight >= maxInflight) {
      drop('position_overloaded', `${inflight} raw messages already being positioned`, message);
      return;
    }
    inflight++;
    pending.push({ item: { fix: prepared.fix, idempotencyKey: prepared.idempotencyKey }, message });
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
      // Stations are taken once it did (or after SUBSCRIBE_WAIT_MS): see bounded-wait.ts.
      await settleWithin(subscriber.subscribe(...channels), SUBSCRIBE_WAIT_MS);
    },
    async stop() {
      stopped = true;
      clearTimeout(drainTimer);
      clearTimeout(lostTimer);
      if (listener) subscriber.off('message', listener);
      listener = undefined;
      await settleWithin(subscriber.unsubscribe(...channels), REDIS_GOODBYE_MS);
    },
  };
}
