/**
 * When the corked station sockets are written out (socket-writer.ts `corkUntilIdle`): at the end of this loop turn,
 * unless the relay is flooded, then 1 ms later. Under a flood each socket then takes the fixes of several Redis
 * reads in one writev: the syscalls (and the loopback TCP work they carry) were a third of the relay's CPU per fix
 * at flood, and a millisecond is small beside the latency of a relay that busy.
 *
 * Flooded means the rounds come back to back: the last round was large and this one starts within
 * BUSY_GAP_MS of its write-out, so gathering for a while would fill it. A large round alone is not enough: with
 * positioning on, every script call's batch (tens of fixes × their watchers) is one large round, but at a
 * steady 10,000 fixes/s the next one comes ~5 ms later, and gathering for 1 ms only delays every fix of it
 * (docs/benchmarks.md, "Relay latency tail when fixes fan out").
 */

/** Frames in one round from which the relay may count as busy. */
export const BUSY_ROUND_FRAMES = 32;
/** A round that starts this soon after the last write-out (ms) follows it back to back. */
export const BUSY_GAP_MS = 1;
/** How long a busy relay gathers frames before writing them out, ms. */
export const BUSY_UNCORK_DELAY_MS = 1;

/**
 * `immediate`: setImmediate; a number: setTimeout with that many ms. `gapMs`: from the last round's write-out to
 * this round's first frame.
 */
export function uncorkDelay(lastRoundFrames: number, gapMs: number): 'immediate' | number {
  return lastRoundFrames >= BUSY_ROUND_FRAMES && gapMs < BUSY_GAP_MS ? BUSY_UNCORK_DELAY_MS : 'immediate';
}
