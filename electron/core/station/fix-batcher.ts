/**
 * Stored fixes reach the renderer in batches, at most one per tick (~50 ms): a burst of a thousand fixes is one
 * re-render, not a thousand.
 */
import type { Fix } from '../../../protocol/fix.js';

export class FixBatcher {
  private pending: Fix[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(fixes: Fix[]) => void>();

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

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
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
  }
}
