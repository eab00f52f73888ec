/**
 * How the relay writes fixes to station sockets (relay/station/connection.ts `writeFrame`, `corkUntilIdle`): each
 * fix framed once (ws-frame.ts) and the same bytes written straight to every watcher's net.Socket (`ws._socket`,
 * safe because permessage-deflate is off, so `ws` holds nothing back and still counts the bytes), with each socket
 * corked on its first frame of a round and uncorked once per round, so a round is one writev per socket. Against
 * the same fan-out through `ws.send(text)` per watcher (framing and a copy per connection), with and without the
 * cork, and raw writes without the cork (a syscall per frame).
 *
 * 30 connections, 10 members each watched by 3; rounds of 50 fixes (the bench publisher's 5 ms burst at 10,000/s),
 * 150 frames a round. Measured: the server's CPU (this process) per delivered frame, from the first write until the
 * clients (another process) have every frame.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeWrappedTextFrame } from '../../relay/station/ws-frame.js';
import { type Timing, print } from './harness.js';

const CONNECTIONS = 30;
const MEMBERS = 10;
const FIXES_PER_ROUND = 50;
const ROUNDS = 400;
const PREFIX = Buffer.from('{"type":"fix","fix":');
const SUFFIX = Buffer.from('}');
const NOW = 1_764_000_000_000;
const json = (i: number) =>
  `{"uid":"${i % MEMBERS}","lat":23.${129100 + i},"lon":113.${264400 + i},"ts":${NOW + i},"crs":"gcj02","epoch":"e${NOW}.0","offset":${i}}`;

interface RawSocket {
  cork(): void;
  uncork(): void;
  write(data: Buffer): boolean;
}
const rawOf = (ws: WebSocket) => (ws as unknown as { _socket: RawSocket })._socket;

type Writer = (watchers: WebSocket[], fix: string, corked: Set<RawSocket>) => void;

const WRITERS: Record<string, Writer> = {
  'frame once, raw write, cork per round (relay)': (watchers, fix, corked) => {
    const frame = encodeWrappedTextFrame(PREFIX, fix, SUFFIX);
    for (const ws of watchers) {
      const socket = rawOf(ws);
      if (!corked.has(socket)) {
        socket.cork();
        corked.add(socket);
      }
      socket.write(frame);
    }
  },
  'frame once, raw write, no cork': (watchers, fix) => {
    const frame = encodeWrappedTextFrame(PREFIX, fix, SUFFIX);
    for (const ws of watchers) rawOf(ws).write(frame);
  },
  'ws.send(text) per watcher, cork per round': (watchers, fix, corked) => {
    const text = `{"type":"fix","fix":${fix}}`;
    for (const ws of watchers) {
      const socket = rawOf(ws);
      if (!corked.has(socket)) {
        socket.cork();
        corked.add(socket);
      }
      ws.send(text);
    }
  },
  'ws.send(text) per watcher': (watchers, fix) => {
    const text = `{"type":"fix","fix":${fix}}`;
    for (const ws of watchers) ws.send(text);
  },
};

export async function runSocketWrites(rounds = 5): Promise<Timing[]> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await once(wss, 'listening');
  const port = (wss.address() as { port: number }).port;
  const sockets: WebSocket[] = [];
  wss.on('connection', (ws) => sockets.push(ws));
  const child = fork(fileURLToPath(new URL('./socket-clients-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
  });
  child.send({ url: `ws://127.0.0.1:${port}`, count: CONNECTIONS });
  await once(child, 'message');
  while (sockets.length < CONNECTIONS) await new Promise((r) => setTimeout(r, 10));
  const watchers = Array.from({ length: MEMBERS }, (_, m) => sockets.filter((_, s) => s % MEMBERS === m));
  const fixes = Array.from({ length: FIXES_PER_ROUND * ROUNDS }, (_, i) => json(i));
  const frames = FIXES_PER_ROUND * ROUNDS * (CONNECTIONS / MEMBERS);

  const samples = new Map<string, number[]>(Object.keys(WRITERS).map((n) => [n, []]));
  for (let round = -1; round < rounds; round++) {
    for (const [name, write] of Object.entries(WRITERS)) {
      child.send({ expect: frames });
      const done = once(child, 'message');
      const cpu0 = process.cpuUsage();
      for (let r = 0; r < ROUNDS; r++) {
        const corked = new Set<RawSocket>();
        for (let f = 0; f < FIXES_PER_ROUND; f++) {
          const i = r * FIXES_PER_ROUND + f;
          write(watchers[i % MEMBERS] as WebSocket[], fixes[i] as string, corked);
        }
        for (const socket of corked) socket.uncork();
        await new Promise((resolve) => setImmediate(resolve));
      }
      await done;
      const cpu = process.cpuUsage(cpu0);
      if (round >= 0) samples.get(name)?.push(((cpu.user + cpu.system) * 1000) / frames);
    }
  }
  child.kill();
  for (const ws of sockets) ws.terminate();
  wss.close();
  return [...samples].map(([name, ns]) => ({
    name,
    ns: ns.sort((a, b) => a - b)[Math.floor(ns.length / 2)] as number,
  }));
}

if (import.meta.url === `file://${process.argv[1]}`)
  print('server CPU per delivered frame (30 sockets, rounds of 150 frames)', await runSocketWrites());
