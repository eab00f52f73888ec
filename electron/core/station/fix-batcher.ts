/**
 * Stored fixes reach the renderer in batches, at most one per tick (~50 ms): a burst of a thousand fixes is one
 * re-render, not a thousand.
 */
import type { Fix } from '../../../protocol/fix.js';

export class FixBatcher {
  private pending: Fix[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(fixes: Fix[]) => void>();
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly tickMs: number,
    private readonly onListenerError: (error: unknown) => void,
  ) {}

  subscribe(listener: (fixes: Fix[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  push(fixes: readonly Fix[]): void {
    if (fixes.length === 0 || this.listeners.size === 0) return;
    for (const fix of fixes) this.pending.push(fix);
    this.timer ??= setTimeout(() => this.deliver(), this.tickMs);
  }

  /** Resolves once every fix pushed so far has been delivered to the listeners. */
  idle(): Promise<void> {
    if (this.timer === undefined) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Deliver what is pending now, then stop. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    if (this.timer !== undefined) this.deliver();
    this.listeners.clear();
  }

  private deliver(): void {
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    for (const listener of this.listeners) {
      try {
        listener(batch);
      } catch (error) {
        this.onListenerError(error);
      }
    }
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
