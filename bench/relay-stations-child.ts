/**
 * The bench stations in their own process, as the bare subscriber and the relay are: in the bench process they
 * would share one event loop with the publisher, so every frame they read would slow the publishing that the
 * relay's throughput is measured against. Driven over IPC by `openStationsInChild` (relay-stations.ts).
 */
import { latencyFigures, openStations, type StationPool, type StationProtocol } from './relay-stations.js';

type Request =
  | {
      id: number;
      cmd: 'open';
      wsUrl: string;
      token: string;
      watchLists: string[][];
      protocol: StationProtocol;
    }
  | { id: number; cmd: 'latency'; sendTimes?: [number, number][] }
  | { id: number; cmd: 'reset' | 'count' | 'close' };

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
      const ms = latencyFigures(pool?.latencies() ?? new Float64Array());
      if (!request.sendTimes) return ms;
      return {
        ...ms,
        us: latencyFigures(pool?.latenciesUs(new Map(request.sendTimes)) ?? new Float64Array()),
      };
    }
    case 'close':
      pool?.close();
      pool = undefined;
      setImmediate(() => process.exit(0));
      return null;
  }
}
