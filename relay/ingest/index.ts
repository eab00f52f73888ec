/**
 * HTTP ingest of members' fixes (`POST /api/location/move`): the relay server mounts this handler.
 *
 * Order of checks, cheapest and least revealing first: method, token, content type, rate limit, body size, JSON,
 * batch shape, uid ownership, then each fix. Accepted fixes are published on the raw channel exactly like the
 * customer's PHP publishes them, so stations and positioning cannot tell ingest fixes from PHP fixes.
 * protocol/ingest.ts defines the answers; docs/miniprogram.md documents them.
 */
import type { RedisClient } from '../redis.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { IngestErrorCode, IngestResult } from '../../protocol/ingest.js';
import { INGEST_MAX_BATCH, INGEST_MAX_BODY_BYTES } from '../../protocol/ingest.js';
import type { MemberVerifier } from './authenticate.js';
import { authenticateMember, defaultMemberVerifier } from './authenticate.js';
import { batchItems, namesAnotherMember, validateItems } from './batch.js';
import { isJsonContentType, readJsonBody } from './body.js';
import { ingestMetrics } from './metrics.js';
import { DEFAULT_DEDUP_TTL_SECONDS, publishOnce } from './publish.js';
import type { RateLimit } from './rate-limit.js';
import { DEFAULT_RATE_LIMIT, retryAfterSeconds, takeToken } from './rate-limit.js';

export interface IngestDeps {
  /** Command connection (not the subscriber). */
  redis: RedisClient;
  /** HS256 secret that signs member tokens. */
  secret: string;
  /** The raw channel (`location_update`): accepted fixes are published there, the same path as PHP's fixes. */
  channel: string;
  /** Prefix of every Redis key the relay owns (default `lodestar:`). */
  keyPrefix: string;
  registry: Registry;
  logger: Logger;
  /** Body size limit in bytes (default INGEST_MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  /** Batch length limit (default INGEST_MAX_BATCH). */
  maxBatch?: number;
  /** Per-member request rate (default DEFAULT_RATE_LIMIT). */
  rateLimit?: RateLimit;
  /** How long an accepted (uid, cid) is remembered (default 7 days). */
  dedupTtlSeconds?: number;
  /** Member tokens whose exp is further ahead are refused (RELAY_TOKEN_MAX_TTL). */
  tokenMaxTtlSeconds?: number;
  /** A Redis call slower than this is answered 503 `unavailable` (default 5000 ms). */
  redisTimeoutMs?: number;
  /** Token verification; defaults to the relay's member-token check with `secret`. */
  verifyMember?: MemberVerifier;
  /** Clock for fixes without `ts` (default Date.now). */
  now?: () => number;
}

export type IngestHandler = (req: IncomingMessage, res: ServerResponse) => void;

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: IngestErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Refusal(503, 'unavailable', 'the fix store is unavailable')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

export function createIngestHandler(deps: IngestDeps): IngestHandler {
  const metrics = ingestMetrics(deps.registry);
  const maxBodyBytes = deps.maxBodyBytes ?? INGEST_MAX_BODY_BYTES;
  const maxBatch = deps.maxBatch ?? INGEST_MAX_BATCH;
  const rateLimit = deps.rateLimit ?? DEFAULT_RATE_LIMIT;
  const ttl = deps.dedupTtlSeconds ?? DEFAULT_DEDUP_TTL_SECONDS;
  const redisTimeoutMs = deps.redisTimeoutMs ?? 5000;
  const verify = deps.verifyMember ?? defaultMemberVerifier(deps.secret, deps.tokenMaxTtlSeconds);
  const now = deps.now ?? Date.now;
  const logger = deps.logger.child({ component: 'ingest' });

  async function handle(req: IncomingMessage): Promise<{ status: number; result: IngestResult }> {
    if (req.method !== 'POST') throw new Refusal(405, 'method_not_allowed', 'use POST', { allow: 'POST' });
    const auth = await authenticateMember(req.headers.authorization, verify);
    if (!auth.ok) throw new Refusal(auth.status, auth.code, auth.message);
    const uid = auth.uid;
    if (!isJsonContentType(req.headers['content-type'])) {
      throw new Refusal(415, 'bad_content_type', 'the body must be application/json');
    }
    const wait = await withTimeout(
      takeToken(deps.redis, `${deps.keyPrefix}ingest:rate:${uid}`, rateLimit),
      redisTimeoutMs,
    );
    if (wait > 0) {
      const seconds = retryAfterSeconds(wait);
      throw new Refusal(429, 'rate_limited', `too many requests; retry in ${seconds} s`, {
        'retry-after': String(seconds),
      });
    }
    const body = await readJsonBody(req, maxBodyBytes);
    if (!body.ok) throw new Refusal(body.status, body.code, body.message);
    const batch = batchItems(body.value, maxBatch);
    if (!batch.ok) throw new Refusal(batch.status, batch.code, batch.message);
    if (namesAnotherMember(batch.items, uid)) {
      throw new Refusal(
        403,
        'forbidden',
        'a fix names another member; a member token may only send its own fixes',
      );
    }
    const validated = validateItems(batch.items, uid, now());
    const fresh =
      validated.fixes.length === 0
        ? []
        : await withTimeout(
            publishOnce(
              deps.redis,
              deps.channel,
              deps.keyPrefix,
              ttl,
              validated.fixes.map((f) => f.fix),
            ),
            redisTimeoutMs,
          );
    const accepted = fresh.filter(Boolean).length;
    const result: IngestResult = {
      accepted,
      duplicates: fresh.length - accepted,
      refused: validated.refused,
    };
    if (accepted) metrics.fixes.inc({ outcome: 'accepted', reason: 'none' }, accepted);
    if (result.duplicates) metrics.fixes.inc({ outcome: 'duplicate', reason: 'none' }, result.duplicates);
    for (const r of validated.refused) metrics.fixes.inc({ outcome: 'refused', reason: r.reason });
    return { status: fresh.length === 0 ? 422 : 200, result };
  }

  return (req, res) => {
    handle(req).then(
      ({ status, result }) => {
        metrics.requests.inc({ code: status === 200 ? 'ok' : 'no_valid_fix' });
        send(res, status, result);
      },
      (err: unknown) => {
        const refusal =
          err instanceof Refusal
            ? err
            : new Refusal(
                isRedisError(err) ? 503 : 500,
                isRedisError(err) ? 'unavailable' : 'internal',
                'internal error',
              );
        if (refusal.code === 'internal' || refusal.code === 'unavailable') {
          logger.warn({ err, code: refusal.code }, 'ingest request failed');
        }
        metrics.requests.inc({ code: refusal.code });
        // An oversized body may still be streaming in: close the connection rather than read all of it.
        const headers: Record<string, string> =
          refusal.status === 413 ? { ...refusal.headers, connection: 'close' } : refusal.headers;
        send(res, refusal.status, { error: { code: refusal.code, message: refusal.message } }, headers);
      },
    );
  };
}

/** ioredis errors (connection closed, max retries) as opposed to bugs. */
function isRedisError(err: unknown): boolean {
  return (
    err instanceof Error && /redis|connection|ECONNREFUSED|max retries/i.test(`${err.name} ${err.message}`)
  );
}
