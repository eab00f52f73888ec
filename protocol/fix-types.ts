/**
 * The shape of a fix and of a parse result, free of imports but the limits file, so every layer can name them
 * (the renderer and the mini-program included) without pulling in the validators and zod.
 */
import type { Crs } from './fix-limits.js';
import type { FixRejectReason } from './reject-reasons.js';

/** A fix's place in its member's history, assigned by the relay (see docs/protocol.md, "Positions"). */
export interface FixPosition {
  /** Changes whenever the member's retained history is lost; offsets are only comparable within one epoch. */
  epoch: string;
  /** Grows by exactly one per fix of the member within an epoch; the first fix has offset 1. */
  offset: number;
}

export interface Fix {
  uid: string;
  lat: number;
  lon: number;
  /** Fix time, ms since the Unix epoch: the sender's `ts` if it gave one, else the relay's receive time. */
  ts: number;
  crs: Crs;
  speed?: number;
  accuracy?: number;
  altitude?: number;
  verticalAccuracy?: number;
  horizontalAccuracy?: number;
  /** Degrees clockwise from north (wx returns it as `direction` on some versions, `heading` on others). */
  heading?: number;
  /** Client fix id, set by the mini-program so a retried upload is stored once. */
  cid?: string;
  /** Present on fixes that went through the relay's positioning. */
  epoch?: string;
  offset?: number;
}

export type PositionedFix = Fix & FixPosition;

/**
 * Optional fields a fix is accepted without, when their value means "unknown" or is out of their range: wx
 * reports speed -1 and heading -1 when it does not know them. Dropped rather than stored as a false value, and
 * counted by the relay (`lodestar_relay_fix_fields_dropped_total{field}`).
 */
export type DroppedField = 'speed' | 'heading';

export type ParseResult<T, R extends string = FixRejectReason> =
  { ok: true; value: T; dropped?: readonly DroppedField[] } | { ok: false; reason: R; message: string };
