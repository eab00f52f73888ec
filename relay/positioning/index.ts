/**
 * Positions, catch-up, range and history for the relay (issue 3). The relay wires `createPositioning` to its
 * command connection, calls `positionRawMessage` for each raw-channel message, subscribes to
 * `options.positionedChannel` for fan-out, and gives each station connection a `SeamMerger`.
 */
export { createPositioning, MAX_POSITION_BATCH, PositioningError, POSITION_SCRIPT } from './positioning.js';
export type {
  BatchItem,
  BatchOutcome,
  CatchupResult,
  HistoryPage,
  Positioning,
  PositioningErrorCode,
  RangeResult,
} from './positioning.js';
export {
  DEFAULT_POSITIONING_OPTIONS,
  PositioningOptionsError,
  resolvePositioningOptions,
} from './options.js';
export type { PositioningOptions } from './options.js';
export { positionRawMessage, prepareRawMessage } from './raw-consumer.js';
export type { RawOutcome } from './raw-consumer.js';
export { parsePositionedMessage, parsePositionedMessages } from './positioned-message.js';
export { SeamMerger } from './seam.js';
export { detectGap } from './gap.js';
export type { GapVerdict } from './gap.js';
export { decideCatchup, assessRange } from './decisions.js';
export { idempotencyKeyFor, memberKeys } from './keys.js';
export { positionedChannelSource } from './positioned-source.js';
export type { PositionedSourceOptions } from './positioned-source.js';
