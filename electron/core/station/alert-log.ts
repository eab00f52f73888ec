/**
 * The recent offline alerts, held by the core for every page of both hosts: a page reloaded (or opened in the other
 * host) reads the list instead of starting at "Alerts (0)" while members are offline. In memory: alerts are about the
 * moment, and a station restarted re-judges its members anyway. Bounded by contract/alerts.ts.
 */
import { addAlert, recentAlerts, type OfflineAlert } from '../../../contract/alerts.js';

export class AlertLog {
  private alerts: OfflineAlert[] = [];
  private readonly listeners = new Set<(alerts: OfflineAlert[]) => void>();

  constructor(
    private readonly now: () => number,
    private readonly onListenerError: (error: unknown) => void,
  ) {}

  list(): OfflineAlert[] {
    this.alerts = recentAlerts(this.alerts, this.now());
    return [...this.alerts];
  }

  /** Alerts a page raised; the same member raised by two pages at once is kept once (the newest). */
  raise(alerts: readonly OfflineAlert[]): void {
    if (alerts.length === 0) return;
    const sorted = [...alerts].sort((a, b) => a.at - b.at);
    this.alerts = recentAlerts(sorted.reduce(addAlert, this.alerts), this.now()).sort((a, b) => b.at - a.at);
    this.emit();
  }

  clear(): void {
    if (this.alerts.length === 0) return;
    this.alerts = [];
    this.emit();
  }

  subscribe(listener: (alerts: OfflineAlert[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    const alerts = [...this.alerts];
    for (const listener of this.listeners) {
      try {
        listener(alerts);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
