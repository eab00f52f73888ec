/**
 * The station's own check of a fix before it is stored, beyond the frame schema the relay client already applied:
 * things a schema cannot see. Pure; rejections are counted by reason, never thrown.
 */
import type { Fix } from '../../../protocol/fix.js';

export const STATION_FIX_REJECTIONS = ['future_ts', 'partial_position'] as const;
export type StationFixRejection = (typeof STATION_FIX_REJECTIONS)[number];

/** The relay stamps fixes without a time itself; a fix a day ahead is a broken clock, not a fix to draw. */
const MAX_FUTURE_MS = 24 * 3600 * 1000;

export function checkFix(fix: Fix, now: number): StationFixRejection | undefined {
  if (fix.ts > now + MAX_FUTURE_MS) return 'future_ts';
  // A position is an epoch and an offset together; half of one would poison `since` on the next reconnect.
  if ((fix.epoch === undefined) !== (fix.offset === undefined)) return 'partial_position';
  return undefined;
}
