/**
 * The demo's stop: its parts closed newest first, each given a bounded time, so one part waiting on something that
 * is gone (a Redis, a socket) cannot keep the others from closing or the process from exiting.
 */

export interface CleanupStep {
  /** Said in the log when the step fails or runs out of time. */
  name: string;
  run(): Promise<void> | void;
}

export type CleanupOutcome = { name: string; result: 'done' | 'timed out' | 'failed'; error?: unknown };

/** Runs `steps` in order, each until it settles or `stepTimeoutMs` passes, and says how each ended. */
export async function runCleanups(
  steps: readonly CleanupStep[],
  stepTimeoutMs: number,
  onStep: (outcome: CleanupOutcome) => void = () => undefined,
): Promise<CleanupOutcome[]> {
  const outcomes: CleanupOutcome[] = [];
  for (const step of steps) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<CleanupOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ name: step.name, result: 'timed out' }), stepTimeoutMs);
    });
    const ran = (async () => step.run())().then(
      (): CleanupOutcome => ({ name: step.name, result: 'done' }),
      (error: unknown): CleanupOutcome => ({ name: step.name, result: 'failed', error }),
    );
    const outcome = await Promise.race([ran, expired]);
    clearTimeout(timer);
    outcomes.push(outcome);
    onStep(outcome);
  }
  return outcomes;
}

/**
 * One Ctrl-C can arrive twice: the terminal signals the whole foreground group, and `npm run` forwards what it gets
 * to its child as well (reaching the demo itself where `sh -c` execs it, as bash does). A signal this soon after
 * the first is that same Ctrl-C; a later one is the user asking again, and forces the exit.
 */
export const SAME_SIGNAL_WINDOW_MS = 1000;

export function forcesExit(firstSignalAtMs: number, nowMs: number): boolean {
  return nowMs - firstSignalAtMs >= SAME_SIGNAL_WINDOW_MS;
}
