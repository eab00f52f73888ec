/** The ingest's prom-client metrics, registered on the relay's registry (once, even if handlers are recreated). */
import type { Registry } from 'prom-client';
import { Counter } from 'prom-client';

export interface IngestMetrics {
  /** Requests by answer: `ok`, `no_valid_fix`, or the error code. */
  requests: Counter<'code'>;
  /** Fixes by outcome: `accepted`, `duplicate`, `refused`; `reason` is the refusal code or `none`. */
  fixes: Counter<'outcome' | 'reason'>;
}

function counter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: L[],
): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

export function ingestMetrics(registry: Registry): IngestMetrics {
  return {
    requests: counter(
      registry,
      'lodestar_relay_ingest_requests_total',
      'HTTP ingest requests by answer code',
      ['code'],
    ),
    fixes: counter(
      registry,
      'lodestar_relay_ingest_fixes_total',
      'Fixes received over HTTP ingest by outcome',
      ['outcome', 'reason'],
    ),
  };
}
