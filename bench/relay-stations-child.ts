/**
 * The bench stations in their own process, as the bare subscriber and the relay are: in the bench process they
 * would share one event loop with the publisher, so every frame they read would slow the publishing that the
 * relay's throughput is measured against. Driven over IPC by `openStationsInChild` (relay-stations.ts).
 */
import { openStations, percentile, type StationPool, type StationProtocol } from './relay-stations.js';

type Request =
  | {
      id: number;
      cmd: 'open';
      wsUrl: string;
      token: string;
      watchLists: string[][];
      protocol: StationProtocol;
    }
  | { id: number; cmd: 'reset' | 'count' | 'latency' | 'close' };

let pool: StationPool | undefined;

process.on('message', (request: Request) => {
  void answer(request).then(
    (value) => process.send?.({ id: request.id, value }),
    (error: Error) => process.send?.({ id: request.id, error: error.message }),
  );
});

async function answer(request: Request): Promise<unknown> {
  switch (request.cmd) {
    case 'open':
      pool = await openStations(request.wsUrl, request.token, request.watchLists, request.protocol);
      return null;
    case 'reset':
      pool?.reset();
      return null;
    case 'count':
      return pool?.received() ?? 0;
    case 'latency': {
      const sorted = Float64Array.from(pool?.latencies() ?? []).sort();
      return {
        p50: percentile(sorted, 50),
        p90: percentile(sorted, 90),
        p99: percentile(sorted, 99),
        p999: percentile(sorted, 99.9),
        max: sorted.length > 0 ? sorted[sorted.length - 1] : NaN,
        samples: sorted.length,
      };
    }
    case 'close':
      pool?.close();
      pool = undefined;
      setImmediate(() => process.exit(0));
      return null;
  }
}
