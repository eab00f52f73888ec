/**
 * At most `limit` catch-ups of one connection hold their replay at once. Each reads its whole replay (up to replayMax
 * fixes) before it is paced out, so a station watching thousands of members with `since` had the relay hold that many
 * replays at once; the rest now wait, first come first served, with their members' live fixes buffered by the seam
 * as during a read. Counted in /metrics: running, queued, and how many had to wait.
 */
import type { RelayMetrics } from '../metrics.js';

export class CatchupSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly limit: number,
    private readonly metrics: Pick<RelayMetrics, 'catchupsRunning' | 'catchupsQueued' | 'catchupsWaited'>,
  ) {}

  /** Resolves once a slot is this caller's; `release` it exactly once after. */
  async acquire(): Promise<void> {
    if (this.running < this.limit) {
      this.take();
      return;
    }
    this.metrics.catchupsWaited.inc();
    this.metrics.catchupsQueued.inc();
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.metrics.catchupsQueued.dec();
    // The slot was handed over by `release`, already counted as running.
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) {
      next();
      return;
    }
    this.running--;
    this.metrics.catchupsRunning.dec();
  }

  private take(): void {
    this.running++;
    this.metrics.catchupsRunning.inc();
  }
}
