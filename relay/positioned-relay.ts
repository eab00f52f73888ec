/**
 * The relay's parts when positioning is on (the default), wired as relay/positioning/README.md "How the relay
 * uses it" says: the positioning library on the command connection, the positioned-channel fix source, the
 * catch-up/history/range handlers, `latest` from the member meta hash, and the limits announced in `welcome`.
 */
import type { RelayConfig } from './config.js';
import type { FixSource } from './fix-source.js';
import type { LatestPositions } from './latest.js';
import type { RelayMetrics } from './metrics.js';
import type { RedisConnections } from './redis.js';
import { createPositioning, type Positioning } from './positioning/positioning.js';
import { positionedChannelSource } from './positioning/positioned-source.js';
import type { SampledWarn } from './sampled-warn.js';
import { onPositionedWatch } from './station/catchup.js';
import type { Handlers } from './station/handlers.js';
import { onHistory, onRange } from './station/reads.js';

export interface PositionedRelay {
  positioning: Positioning;
  source: FixSource;
  latest: LatestPositions;
  handlers: Pick<Handlers, 'watch' | 'history' | 'range'>;
  limits: { windowMs: number; replayMax: number; historyPageMax: number };
}

export function positionedRelay(
  redis: Pick<RedisConnections, 'subscriber' | 'command' | 'commandsReady' | 'onCommands'>,
  config: RelayConfig,
  metrics: RelayMetrics,
  warn: SampledWarn,
  hooks: {
    /** Raw messages given up without an offset, per member: the relay tells its stations (`status` with `lost`). */
    onLost?: (lost: ReadonlyMap<string, number>) => void;
    /**
     * Whether raw messages may be positioned now, and when that may have changed: the command connection is up
     * and the relay has finished checking for lost writes after it came back (app.ts). Default: the command
     * connection's own state.
     */
    gate?: { ready(): boolean; onReady(listener: () => void): void };
  } = {},
): PositionedRelay {
  const positioning = createPositioning(
    redis.command,
    {
      keyPrefix: config.keyPrefix,
      channel: config.channel,
      windowMs: config.windowMs,
      replayMax: config.replayMax,
      historyPageMax: config.historyPageMax,
      replicaAcks: config.replicaAcks,
    },
    {
      onShortfall: (s) => {
        metrics.replicaAckTimeouts.inc();
        warn(
          `replica-ack:${s.node}`,
          { ...s },
          'replicas did not acknowledge a positioned batch in time: its positions wait, unpublished',
        );
      },
    },
  );
  const { windowMs, replayMax, historyPageMax } = positioning.options;
  return {
    positioning,
    source: positionedChannelSource(redis.subscriber, positioning, {
      rawChannel: config.channel,
      positionRaw: config.positionRaw,
      metrics,
      warn,
      connection: hooks.gate ?? {
        ready: () => redis.commandsReady(),
        onReady: (listener) => redis.onCommands((ready) => ready && listener()),
      },
      backlog: { maxMessages: config.positionBacklogMax, maxAgeMs: config.positionBacklogMaxAgeMs },
      ...(hooks.onLost ? { onLost: hooks.onLost } : {}),
    }),
    // position.lua keeps each member's latest positioned fix in its meta hash: nothing to record here.
    latest: {
      record: () => undefined,
      get: (uid) => positioning.latest(uid),
      close: async () => undefined,
    },
    handlers: { watch: onPositionedWatch, history: onHistory, range: onRange },
    limits: { windowMs, replayMax, historyPageMax },
  };
}
