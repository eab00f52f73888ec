/**
 * The relay's fast write path: fix frames go straight to the TCP socket under a `ws` connection, corked so a
 * burst becomes one writev per socket per round.
 *
 * The invariant that makes it safe: permessage-deflate is off (relay/server/stations.ts), so `ws` never holds a
 * frame back. Its `bufferedAmount` therefore still counts the bytes written here (it reads the socket's), and the
 * order of frames on the wire is the order of calls, whether a frame went through `ws.send` or through here.
 * `ws` has no public API for this; `_socket` is the net.Socket it writes to.
 */
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { uncorkDelay } from './uncork-delay.js';

interface RawSocket {
  cork(): void;
  uncork(): void;
  write(data: Buffer): boolean;
}

/**
 * Sockets corked since the last write-out. Each station socket is corked on its first frame and uncorked once per
 * round, so a burst of fixes becomes one writev per socket instead of one syscall per fix: without this, syscalls
 * are most of the relay's CPU at high rates. A round ends at the end of the loop turn, or 1 ms later when rounds come
 * back to back (uncork-delay.ts).
 */
const corked = new Set<RawSocket>();
let uncorkScheduled = false;
let roundFrames = 0;
let lastRoundFrames = 0;
/** When the last round was written out (performance.now()). */
let lastUncorkAt = -Infinity;

function uncorkAll(): void {
  uncorkScheduled = false;
  lastRoundFrames = roundFrames;
  roundFrames = 0;
  for (const socket of corked) socket.uncork();
  corked.clear();
  lastUncorkAt = performance.now();
}

function corkUntilIdle(socket: RawSocket): void {
  roundFrames++;
  if (corked.has(socket)) return;
  socket.cork();
  corked.add(socket);
  if (!uncorkScheduled) {
    uncorkScheduled = true;
    const delay = uncorkDelay(lastRoundFrames, performance.now() - lastUncorkAt);
    if (delay === 'immediate') setImmediate(uncorkAll);
    else setTimeout(uncorkAll, delay);
  }
}

/** Write a complete websocket frame (ws-frame.ts) to the socket under `ws`, after anything sent before it. */
export function writeFrame(ws: WebSocket, frame: Buffer): void {
  const socket = (ws as unknown as { _socket?: RawSocket })._socket;
  if (!socket) return;
  corkUntilIdle(socket);
  socket.write(frame);
}
