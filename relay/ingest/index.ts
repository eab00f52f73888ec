/**
 * HTTP ingest of members' fixes (`POST /api/location/move`). Placeholder until the ingest issue lands: the relay
 * server mounts this handler; it answers 501 so the route exists with a clear, stable error.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

export interface IngestDeps {
  /** Command connection (not the subscriber). */
  redis: Redis;
  /** HS256 secret that signs member tokens. */
  secret: string;
  /** The raw channel (`location_update`): accepted fixes are published there, the same path as PHP's fixes. */
  channel: string;
  /** Prefix of every Redis key the relay owns (default `lodestar:`). */
  keyPrefix: string;
  registry: Registry;
  logger: Logger;
}

export type IngestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function createIngestHandler(_deps: IngestDeps): IngestHandler {
  return (_req, res) => {
    res.writeHead(501, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'not_implemented', message: 'ingest is not available yet' } }));
  };
}
