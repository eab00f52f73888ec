/**
 * When the corked station sockets are written out (socket-writer.ts `corkUntilIdle`): at the end of this loop turn
 * while the relay is nearly idle, so a lone fix waits no longer than one turn; 1 ms later once the last round
 * carried many frames. Under load each socket then takes the fixes of several Redis reads in one writev: the
 * syscalls (and the loopback TCP work they carry) were a third of the relay's CPU per fix at flood, and a
 * millisecond is small beside the latency of a relay that busy.
 */

/** Frames in one round from which the relay counts as busy. */
export const BUSY_ROUND_FRAMES = 32;
/** How long a busy relay gathers frames before writing them out, ms. */
export const BUSY_UNCORK_DELAY_MS = 1;

/** `immediate`: setImmediate; a number: setTimeout with that many ms. */
export function uncorkDelay(lastRoundFrames: number): 'immediate' | number {
  return lastRoundFrames >= BUSY_ROUND_FRAMES ? BUSY_UNCORK_DELAY_MS : 'immediate';
}
