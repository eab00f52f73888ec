/**
 * The live loop: every member advances one tick per period of wall-clock time and its fixes go to the publisher.
 * Ticks keep their planned times (startMs + k / hz), so a slow send or a busy machine delays fixes but never
 * stretches the simulated day: late ticks are sent together when the loop catches up.
 */
import type { Fix } from '../protocol/fix.js';
import { createFleet, type FleetSettings, fleetTick } from './fleet.js';
import type { FixPublisher } from './publishers.js';
import { tickTime } from './track.js';

export interface RunningSimulation {
  readonly uids: readonly string[];
  /** Ticks simulated so far. */
  readonly ticks: number;
  /** Resolves when the duration is over or after `stop()`, once the last send has finished. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export interface SimulationRun {
  fleet: FleetSettings;
  publisher: FixPublisher;
  /** Stop after this long; undefined = until `stop()`. */
  durationMs?: number;
  /** Called with each batch sent (for progress lines and tests). */
  onSend?: (fixes: readonly Fix[]) => void;
}

export function startSimulation(run: SimulationRun): RunningSimulation {
  const fleet = createFleet(run.fleet);
  const { startMs, hz } = run.fleet;
  const endMs = run.durationMs === undefined ? Infinity : startMs + run.durationMs;
  let tick = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));

  async function loop(): Promise<void> {
    timer = undefined;
    const fixes: Fix[] = [];
    const now = Date.now();
    while (!stopped && tickTime(startMs, hz, tick) <= now && tickTime(startMs, hz, tick) < endMs) {
      fixes.push(...fleetTick(fleet));
      tick++;
    }
    if (fixes.length) {
      await run.publisher.send(fixes);
      run.onSend?.(fixes);
    }
    const due = tickTime(startMs, hz, tick);
    if (stopped || due >= endMs) {
      stopped = true;
      finish();
      return;
    }
    timer = setTimeout(() => void loop(), Math.max(0, due - Date.now()));
  }
  timer = setTimeout(() => void loop(), Math.max(0, startMs - Date.now()));

  return {
    uids: fleet.uids,
    get ticks() {
      return tick;
    },
    done,
    async stop() {
      if (!stopped) {
        stopped = true;
        if (timer) {
          clearTimeout(timer);
          finish();
        }
      }
      await done;
    },
  };
}
