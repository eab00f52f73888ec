/**
 * Bench stations: many websocket clients that count fix frames and sample publish→station latency from the fix's
 * `ts` (the publisher puts its send time there). They read `ts` straight out of the frame text rather than parsing
 * JSON, so the clients cost as little CPU as possible on a machine shared with the relay and Redis.
 */
import WebSocket from 'ws';

export interface StationPool {
  /** Fix frames received by all stations since the last reset. */
  received(): number;
  /** Latency samples (ms) since the last reset. */
  latencies(): Float64Array;
  reset(): void;
  close(): Promise<void>;
}

const TS = Buffer.from('"ts":');

function tsOf(frame: Buffer): number {
  const at = frame.indexOf(TS);
  if (at < 0) return NaN;
  let n = 0;
  for (let i = at + TS.length; i < frame.length; i++) {
    const c = frame[i] as number;
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  return n;
}

export async function openStations(
  wsUrl: string,
  token: string,
  watchLists: string[][],
  maxSamples = 2_000_000,
): Promise<StationPool> {
  let received = 0;
  let samples = new Float64Array(maxSamples);
  let sampleCount = 0;
  const sockets = await Promise.all(
    watchLists.map(
      (members) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(wsUrl, {
            headers: { authorization: `Bearer ${token}` },
            perMessageDeflate: false,
          });
          let pendingWatched = members.length;
          ws.on('message', (data: Buffer) => {
            // Fix frames start with {"type":"fix" — checked on bytes, not by parsing.
            if (data[9] === 0x66 && data[10] === 0x69 && data[11] === 0x78) {
              received++;
              if (sampleCount < maxSamples) samples[sampleCount++] = Date.now() - tsOf(data);
              return;
            }
            const text = data.toString();
            if (text.startsWith('{"type":"welcome"')) {
              ws.send(JSON.stringify({ type: 'watch', members: members.map((uid) => ({ uid })) }));
            } else if (text.startsWith('{"type":"watched"') && --pendingWatched === 0) {
              resolve(ws);
            }
          });
          ws.once('error', reject);
        }),
    ),
  );
  return {
    received: () => received,
    latencies: () => samples.subarray(0, sampleCount),
    reset() {
      received = 0;
      sampleCount = 0;
      samples = new Float64Array(maxSamples);
    },
    async close() {
      await Promise.all(
        sockets.map((ws) => new Promise<void>((r) => (ws.once('close', () => r()), ws.close()))),
      );
    },
  };
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
