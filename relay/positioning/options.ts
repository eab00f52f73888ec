/**
 * Positioning options, merged with defaults and validated once, up front: a bad value is a startup error with a
 * stable code, never a surprise in the middle of the Lua script.
 */
import { z } from 'zod';
import { MAX_REPLICA_ACKS, type ReplicaAcksSetting } from './replica-acks.js';

export const DEFAULT_POSITIONING_OPTIONS = {
  /** Prefix of every Redis key the relay owns. */
  keyPrefix: 'lodestar:',
  /** The raw channel the customer's PHP publishes on; positioned fixes go to `<channel>:positioned`. */
  channel: 'location_update',
  /** How long fixes are retained for catch-up, range and history. */
  windowMs: 24 * 3600 * 1000,
  /** Hard cap on one member's stream: a day at 1 Hz is 86,400 fixes; twice that leaves room for faster senders. */
  maxLen: 200_000,
  /** Most fixes one catch-up or range reply may carry; more is `replay_cap` (never a silent partial replay). */
  replayMax: 10_000,
  /** Largest history page. */
  historyPageMax: 1_000,
  /** How long a raw message's idempotency key lives: several relays receive it within milliseconds. */
  idempotencyTtlMs: 60_000,
  /**
   * Replicas that must acknowledge a batch's writes before its positions are published (replica-acks.ts): `auto`
   * is one when the master has a replica online, none otherwise.
   */
  replicaAcks: 'auto' as ReplicaAcksSetting,
};

export interface PositioningOptions {
  keyPrefix: string;
  channel: string;
  /** Defaults to `<channel>:positioned`. */
  positionedChannel: string;
  windowMs: number;
  maxLen: number;
  replayMax: number;
  historyPageMax: number;
  idempotencyTtlMs: number;
  replicaAcks: ReplicaAcksSetting;
}

const optionsSchema = z.object({
  keyPrefix: z
    .string()
    .max(64)
    .regex(/^[^{}]*$/, 'must not contain { or }: they would break the hash tag'),
  channel: z.string().min(1).max(256),
  positionedChannel: z.string().min(1).max(256).optional(),
  windowMs: z.number().int().min(1000),
  maxLen: z.number().int().min(1),
  replayMax: z.number().int().min(1),
  historyPageMax: z.number().int().min(1).max(100_000),
  idempotencyTtlMs: z.number().int().min(1),
  replicaAcks: z.union([z.literal('auto'), z.number().int().min(0).max(MAX_REPLICA_ACKS)]),
});

export class PositioningOptionsError extends TypeError {
  readonly code = 'LODESTAR_ERR_POSITIONING_OPTIONS';
}

export function resolvePositioningOptions(given: Partial<PositioningOptions> = {}): PositioningOptions {
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  const parsed = optionsSchema.safeParse({ ...DEFAULT_POSITIONING_OPTIONS, ...defined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PositioningOptionsError(
      `Invalid positioning option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  const o = parsed.data;
  return { ...o, positionedChannel: o.positionedChannel ?? `${o.channel}:positioned` };
}
