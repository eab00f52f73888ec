/**
 * The browser host's HTTP limits over real sockets: slow or silent clients are disconnected within 10 s, and an
 * oversized body is answered 413 (not a connection reset). A real station on a real SQLite file behind it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_PATH, KEY_HEADER } from '../../contract/web-protocol.js';
import { memoryVault, openStationRuntime, type StationRuntime } from '../core/runtime.js';
import { trackExporter } from '../core/station/exporter.js';
import { silentClient, slowHeadersClient } from '../../test/support/slow-clients.js';
import { startWebHost, type RunningWebHost } from './server.js';

let dir: string;
let runtime: StationRuntime;
let host: RunningWebHost;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lodestar-web-limits-'));
  runtime = openStationRuntime({
    dataDir: dir,
    vault: memoryVault(undefined),
    exporter: trackExporter,
    logger: pino({ level: 'silent' }),
    relayUrl: 'ws://127.0.0.1:1',
  });
  host = await startWebHost({
    station: runtime.station,
    rendererDir: join(dir, 'no-renderer'),
    logger: pino({ level: 'silent' }),
  });
});
afterAll(async () => {
  await host.close();
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

/** POST `size` bytes to a station call, with the key; resolves with the status and body. */
function post(size: number, chunked: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        method: 'POST',
        path: `${CALL_PATH}listMembers`,
        headers: {
          host: `127.0.0.1:${host.port}`,
          [KEY_HEADER]: host.secret,
          'content-type': 'application/json',
          ...(chunked ? {} : { 'content-length': String(size) }),
        },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const write = () => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(chunk.subarray(0, n))) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

describe('browser host HTTP limits', () => {
  it.each([
    ['with a content-length', false],
    ['chunked', true],
  ])('answers 413 to a body over 256 KiB, %s', async (_name, chunked) => {
    const answer = await post(1024 * 1024, chunked);
    expect(answer.status).toBe(413);
    expect(answer.body).toContain('payload_too_large');
  });

  it('disconnects silent and slow-header clients within 10 s', async () => {
    const [silent, slow] = await Promise.all([silentClient(host.port), slowHeadersClient(host.port)]);
    expect(silent).toBeLessThanOrEqual(11_500);
    expect(slow).toBeLessThanOrEqual(11_500);
  }, 30_000);
});
