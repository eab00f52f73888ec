/**
 * Misbehaving HTTP clients over raw TCP, for timeout tests: one that connects and says nothing, one that sends
 * half a request line and stops. Each resolves with how long the server kept the socket open, in ms.
 */
import { createConnection } from 'node:net';

function heldFor(port: number, host: string, send: string | undefined, limitMs: number): Promise<number> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = createConnection({ port, host });
    const give = setTimeout(() => {
      socket.destroy();
      resolve(Number.POSITIVE_INFINITY);
    }, limitMs);
    socket.once('connect', () => {
      if (send !== undefined) socket.write(send);
    });
    socket.on('data', () => undefined);
    socket.once('close', () => {
      clearTimeout(give);
      resolve(Date.now() - started);
    });
    socket.once('error', () => undefined);
  });
}

/** A client that connects and sends nothing. */
export const silentClient = (port: number, host = '127.0.0.1', limitMs = 20_000) =>
  heldFor(port, host, undefined, limitMs);

/** A client that sends the start of a request and never finishes its headers. */
export const slowHeadersClient = (port: number, host = '127.0.0.1', limitMs = 20_000) =>
  heldFor(port, host, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ', limitMs);
