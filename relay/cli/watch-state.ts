/**
 * `npm run watch -- --state FILE`: the last position seen per member, kept in a small JSON file so that the next
 * run watches with `since` and the relay replays what was missed (scripted catch-up checks). Written atomically
 * (temporary file + rename): a watch killed mid-write leaves the previous state, never half a file.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { type FixPosition, fixPositionSchema, UID_PATTERN } from '../../protocol/fix.js';

export type WatchState = Record<string, FixPosition>;

const stateSchema = z.record(z.string().regex(UID_PATTERN), fixPositionSchema);

/** The saved state; empty when the file does not exist yet. Throws with a readable message on a bad file. */
export function readWatchState(file: string): WatchState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not JSON; delete it to start over`);
  }
  const parsed = stateSchema.safeParse(decoded);
  if (!parsed.success)
    throw new Error(`${file} is not a watch state file: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export function writeWatchState(file: string, state: WatchState): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, file);
}

/**
 * Record a fix the watch printed. Returns whether the state changed: only positioned fixes count, and an older
 * offset of the same epoch never moves the state back.
 */
export function recordPosition(
  state: WatchState,
  fix: { uid: string; epoch?: string; offset?: number },
): boolean {
  if (fix.epoch === undefined || fix.offset === undefined) return false;
  const held = state[fix.uid];
  if (held && held.epoch === fix.epoch && held.offset >= fix.offset) return false;
  state[fix.uid] = { epoch: fix.epoch, offset: fix.offset };
  return true;
}
