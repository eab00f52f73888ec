/**
 * One websocket attempt to the relay, reduced to four events the client cares about: a validated frame, an
 * invalid one, an upgrade refusal (HTTP status + the relay's auth code), and the end of the connection (with
 * whether the relay was never reached). After `dispose()` nothing more is reported, so a socket the client has
 * given up on (stopped, replaced) can never disturb the next one.
 */
import { rootCertificates } from 'node:tls';
import type WebSocket from 'ws';
import type { ClientMessage, ServerMessage } from '../../../protocol/messages.js';
import { parseServerMessage } from '../../../protocol/messages.js';

export interface RelaySocketHandlers {
  onMessage(message: ServerMessage): void;
  onInvalidFrame(reason: string, detail: string): void;
  onRefused(status: number, authCode: string | undefined): void;
  onClosed(close: { code: number; reason: string; unreachable: boolean; error: Error | undefined }): void;
}

export interface RelaySocket {
  send(message: ClientMessage): void;
  /** Drop the connection at once (dead relay); `onClosed` still reports it. */
  terminate(): void;
  /** Stop reporting, then close politely. */
  dispose(code?: number, reason?: string): void;
}

/** Upgrade refusal bodies are tiny JSON; never buffer more than this. */
const MAX_REFUSAL_BODY = 4096;
const OPEN = 1;

/** Throws only for a malformed URL (ws validates it synchronously). */
export function openRelaySocket(
  WS: typeof WebSocket,
  url: string,
  token: string,
  handlers: RelaySocketHandlers,
  trustedCa?: string,
): RelaySocket {
  const ws = new WS(url, {
    headers: { authorization: `Bearer ${token}` },
    handshakeTimeout: 10_000,
    // Node's `ca` replaces the default list: keep the system's roots so a public certificate still verifies.
    ...(trustedCa ? { ca: [...rootCertificates, trustedCa] } : {}),
  });
  let disposed = false;
  let opened = false;
  let error: Error | undefined;

  ws.on('unexpected-response', (req, res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (body.length < MAX_REFUSAL_BODY) body += chunk;
    });
    res.on('end', () => {
      req.destroy();
      if (disposed) return;
      disposed = true;
      handlers.onRefused(res.statusCode ?? 0, authCodeOf(body));
    });
  });
  ws.on('open', () => (opened = true));
  ws.on('message', (data, isBinary) => {
    if (disposed) return;
    const parsed = isBinary
      ? ({ ok: false, reason: 'bad_message', message: 'binary frame' } as const)
      : parseServerMessage(rawToString(data));
    if (parsed.ok) handlers.onMessage(parsed.value);
    else handlers.onInvalidFrame(parsed.reason, parsed.message);
  });
  ws.on('error', (e) => (error = e));
  ws.on('close', (code, reason) => {
    if (disposed) return;
    disposed = true;
    handlers.onClosed({
      code,
      reason: reason.toString('utf8'),
      // 1006 without ever opening: refused, DNS, TLS or handshake timeout.
      unreachable: code === 1006 && !opened && error !== undefined,
      error,
    });
  });

  return {
    send(message) {
      if (!disposed && ws.readyState === OPEN) ws.send(JSON.stringify(message));
    },
    terminate() {
      ws.terminate();
    },
    dispose(code = 1000, reason = 'closing') {
      disposed = true;
      if (ws.readyState === OPEN) ws.close(code, reason);
      else ws.terminate();
    },
  };
}

function rawToString(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function authCodeOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : undefined;
  } catch {
    return undefined;
  }
}
