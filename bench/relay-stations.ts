/**
 * Bench stations: websocket clients on raw TCP sockets that do the upgrade, send `watch`, answer pings, count fix
 * frames and sample publish→station latency from the fix's `ts` (the publisher puts its send time there).
 *
 * They parse frame headers themselves and read `ts` straight out of the bytes instead of running a full websocket
 * library and JSON.parse per frame: the bench shares two cores with the relay and Redis, and what it measures is
 * the relay, so the clients must cost as little as possible.
 */
import { fork } from 'node:child_process';
import { createConnection, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { hrUs } from './relay-publisher.js';

export interface StationPool {
  /** Fix frames received by all stations since the last reset. */
  received(): number;
  /** Latency samples (ms) since the last reset. */
  latencies(): Float64Array;
  /**
   * The same fixes timed in µs: `sendTimes` maps a fix's `ts` to its send time on the host's monotonic clock
   * (relay-publisher.ts `publishAt`); a fix whose tick is not in it is left out.
   */
  latenciesUs(sendTimes: ReadonlyMap<number, number>): Float64Array;
  reset(): void;
  close(): void;
}

const TS = Buffer.from('"ts":');
const FIX_PREFIX = Buffer.from('{"type":"fix"');

function tsOf(frame: Buffer): number {
  const at = frame.indexOf(TS);
  if (at < 0) return NaN;
  let n = 0;
  let i = at + TS.length;
  // Python's json.dumps (the seed relay) writes `"ts": 1764…`.
  while (frame[i] === 32) i++;
  for (; i < frame.length; i++) {
    const c = frame[i] as number;
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  return n;
}

/** A masked client frame (RFC 6455 §5.3); opcode 1 = text, 10 = pong. */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const len = payload.length;
  const header =
    len < 126
      ? Buffer.from([0x80 | opcode, 0x80 | len])
      : Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 0xff]);
  const masked = Buffer.alloc(len);
  for (let i = 0; i < len; i++) masked[i] = (payload[i] as number) ^ (mask[i & 3] as number);
  return Buffer.concat([header, mask, masked]);
}

interface Sink {
  /** `atUs`: when the socket read that carried the frame ran, on the host's monotonic clock. */
  fix(frame: Buffer, atUs: number): void;
}

/**
 * `lodestar`: authenticate with the token, `watch` the members, wait for each `watched`, count `fix` frames.
 * `seed`: the customer's Python relay: send `{"uid": …}` (one member per connection) and count every text frame.
 */
export type StationProtocol = 'lodestar' | 'seed';

function openStation(
  url: URL,
  token: string,
  members: string[],
  sink: Sink,
  protocol: StationProtocol,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: url.hostname, port: Number(url.port) });
    socket.setNoDelay(true);
    let upgraded = false;
    let pending: Buffer | undefined;
    let awaitingWatched = members.length;
    const text = (frame: Buffer, atUs: number) => {
      if (protocol === 'seed') {
        sink.fix(frame, atUs);
        return;
      }
      if (frame.length > 12 && frame.compare(FIX_PREFIX, 0, FIX_PREFIX.length, 0, FIX_PREFIX.length) === 0) {
        sink.fix(frame, atUs);
        return;
      }
      const s = frame.toString();
      if (s.startsWith('{"type":"welcome"')) {
        const watch = { type: 'watch', members: members.map((uid) => ({ uid })) };
        socket.write(clientFrame(1, Buffer.from(JSON.stringify(watch))));
      } else if (s.startsWith('{"type":"watched"') && --awaitingWatched === 0) {
        resolve(socket);
      }
    };
    socket.on('data', (chunk: Buffer) => {
      const atUs = hrUs();
      let buf = pending ? Buffer.concat([pending, chunk]) : chunk;
      pending = undefined;
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) {
          pending = buf;
          return;
        }
        if (!buf.subarray(0, 12).toString().includes(' 101')) {
          reject(new Error(`upgrade refused: ${buf.subarray(0, end).toString()}`));
          socket.destroy();
          return;
        }
        upgraded = true;
        buf = buf.subarray(end + 4);
        if (protocol === 'seed') {
          socket.write(clientFrame(1, Buffer.from(JSON.stringify({ uid: members[0] }))));
          resolve(socket);
        }
      }
      let i = 0;
      while (buf.length - i >= 2) {
        const opcode = (buf[i] as number) & 0x0f;
        let len = (buf[i + 1] as number) & 0x7f;
        let offset = i + 2;
        if (len === 126) {
          if (buf.length - offset < 2) break;
          len = buf.readUInt16BE(offset);
          offset += 2;
        } else if (len === 127) {
          if (buf.length - offset < 8) break;
          len = Number(buf.readBigUInt64BE(offset));
          offset += 8;
        }
        if (buf.length - offset < len) break;
        const payload = buf.subarray(offset, offset + len);
        if (opcode === 1) text(payload, atUs);
        else if (opcode === 9) socket.write(clientFrame(10, Buffer.from(payload)));
        i = offset + len;
      }
      if (i < buf.length) pending = Buffer.from(buf.subarray(i));
    });
    socket.once('error', reject);
    socket.write(
      `GET / HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: YmVuY2hiZW5jaGJlbmNoIQ==\r\nSec-WebSocket-Version: 13\r\n` +
        `Authorization: Bearer ${token}\r\n\r\n`,
    );
  });
}

/** Connections opened at once: more would overflow the server's listen backlog (511) and wait for SYN retries. */
const OPEN_CHUNK = 256;

export async function openStations(
  wsUrl: string,
  token: string,
  watchLists: string[][],
  protocol: StationProtocol = 'lodestar',
  maxSamples = 4_000_000,
): Promise<StationPool> {
  let received = 0;
  const samples = new Float64Array(maxSamples);
  const sampleTs = new Float64Array(maxSamples);
  const sampleAtUs = new Float64Array(maxSamples);
  let sampleCount = 0;
  const sink: Sink = {
    fix(frame, atUs) {
      received++;
      if (sampleCount < maxSamples) {
        const ts = tsOf(frame);
        samples[sampleCount] = Date.now() - ts;
        sampleTs[sampleCount] = ts;
        sampleAtUs[sampleCount++] = atUs;
      }
    },
  };
  const url = new URL(wsUrl);
  const sockets: Socket[] = [];
  for (let i = 0; i < watchLists.length; i += OPEN_CHUNK)
    sockets.push(
      ...(await Promise.all(
        watchLists
          .slice(i, i + OPEN_CHUNK)
          .map((members) => openStation(url, token, members, sink, protocol)),
      )),
    );
  return {
    received: () => received,
    latencies: () => samples.subarray(0, sampleCount),
    latenciesUs(sendTimes) {
      const out = new Float64Array(sampleCount);
      let n = 0;
      for (let i = 0; i < sampleCount; i++) {
        const sentUs = sendTimes.get(sampleTs[i] as number);
        if (sentUs !== undefined) out[n++] = (sampleAtUs[i] as number) - sentUs;
      }
      return out.subarray(0, n);
    },
    reset() {
      received = 0;
      sampleCount = 0;
    },
    close() {
      for (const s of sockets) s.destroy();
    },
  };
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Stations run in a child process (relay-stations-child.ts): the same clients, answering over IPC. */
export interface LatencyFigures {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  samples: number;
}

export function latencyFigures(samples: Float64Array): LatencyFigures {
  const sorted = Float64Array.from(samples).sort();
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    max: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : NaN,
    samples: sorted.length,
  };
}

export interface RemoteStationPool {
  reset(): Promise<void>;
  /** Fix frames received by all stations since the last reset. */
  received(): Promise<number>;
  /**
   * Publish→station latency percentiles (ms, the fix's `ts` against Date.now) since the last reset; with
   * `sendTimes` (relay-publisher.ts `publishAt`), `us` has the same fixes timed on the monotonic clock, in µs.
   */
  latency(sendTimes?: ReadonlyMap<number, number>): Promise<LatencyFigures & { us?: LatencyFigures }>;
  close(): Promise<void>;
}

export async function openStationsInChild(
  wsUrl: string,
  token: string,
  watchLists: string[][],
  protocol: StationProtocol = 'lodestar',
): Promise<RemoteStationPool> {
  const child = fork(fileURLToPath(new URL('./relay-stations-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 0;
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  child.on('message', (reply: { id: number; value?: unknown; error?: string }) => {
    const call = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.error !== undefined) call?.reject(new Error(reply.error));
    else call?.resolve(reply.value);
  });
  child.once('exit', (code) => {
    for (const call of waiting.values()) call.reject(new Error(`bench stations exited with ${code}`));
    waiting.clear();
  });
  const ask = <T>(request: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, ...request });
    });
  await ask({ cmd: 'open', wsUrl, token, watchLists, protocol });
  return {
    reset: () => ask({ cmd: 'reset' }),
    received: () => ask({ cmd: 'count' }),
    latency: (sendTimes) => ask({ cmd: 'latency', ...(sendTimes ? { sendTimes: [...sendTimes] } : {}) }),
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await ask({ cmd: 'close' }).catch(() => undefined);
      await exited;
    },
  };
}
