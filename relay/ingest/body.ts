/**
 * Reading a JSON request body with a size limit. The limit is checked against Content-Length before reading and
 * again while streaming, so a client lying about (or omitting) the length still cannot make the relay buffer more.
 */
import type { IncomingMessage } from 'node:http';
import type { IngestErrorCode } from '../../protocol/ingest.js';

export type BodyResult =
  { ok: true; value: unknown } | { ok: false; status: number; code: IngestErrorCode; message: string };

/** `application/json`, with or without parameters (`; charset=utf-8`). */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const type = header.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json';
}

const tooLarge = (maxBytes: number): BodyResult => ({
  ok: false,
  status: 413,
  code: 'too_large',
  message: `the body may be at most ${maxBytes} bytes`,
});

export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    // Do not read it: the socket is closed after the answer (see the handler's `connection: close`).
    req.resume();
    return Promise.resolve(tooLarge(maxBytes));
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) {
        settle(tooLarge(maxBytes));
        // Stop buffering; keep draining so the answer can still be written.
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () =>
      settle({ ok: false, status: 400, code: 'bad_body', message: 'the request body could not be read' }),
    );
    req.on('end', () => {
      try {
        settle({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch {
        settle({ ok: false, status: 400, code: 'not_json', message: 'the body is not valid JSON' });
      }
    });
  });
}
