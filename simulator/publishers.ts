/**
 * Thin shells that send simulated fixes: on Redis as the PHP backend publishes them, or to a relay's ingest API as
 * the mini-program posts them. Each reports what it did in counters; none throws for a failed send.
 */
import { Redis } from 'ioredis';
import type { Fix } from '../protocol/fix.js';
import {
  INGEST_MAX_BATCH,
  INGEST_PATH,
  type IngestErrorBody,
  type IngestResult,
} from '../protocol/ingest.js';
import { ingestRawFix, phpRawMessage } from './raw-fix.js';

export interface PublisherCounts {
  /** Fixes handed to Redis or accepted by the relay. */
  sent: number;
  /** Fixes refused or lost (a failed publish, an ingest refusal, a full queue). */
  failed: number;
  /** The last failure, for the user: an error code or message. */
  lastError: string | undefined;
}

export interface FixPublisher {
  send(fixes: readonly Fix[]): Promise<void>;
  readonly counts: PublisherCounts;
  close(): Promise<void>;
}

/** Connects first (rejecting with Redis's reason after `connectTimeoutMs`), so a wrong URL is said at once. */
export async function createRedisPublisher(
  url: string,
  channel: string,
  connectTimeoutMs = 5000,
): Promise<FixPublisher> {
  // No offline queue: while Redis is away the simulator keeps moving and counts the lost fixes rather than
  // queueing them up.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
  const counts: PublisherCounts = { sent: 0, failed: 0, lastError: undefined };
  redis.on('error', (error: Error) => (counts.lastError = error.message));
  try {
    await Promise.race([
      redis.connect(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(counts.lastError ?? 'no answer')), connectTimeoutMs).unref(),
      ),
    ]);
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `cannot reach Redis at ${url}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return {
    counts,
    async send(fixes) {
      if (!fixes.length) return;
      const pipeline = redis.pipeline();
      for (const fix of fixes) pipeline.publish(channel, phpRawMessage(fix));
      try {
        const results = (await pipeline.exec()) ?? [];
        for (const [error] of results) {
          if (error) {
            counts.failed++;
            counts.lastError = error.message;
          } else counts.sent++;
        }
      } catch (error) {
        counts.failed += fixes.length;
        counts.lastError = error instanceof Error ? error.message : String(error);
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}

export interface IngestPublisherSettings {
  /** The relay's base URL, e.g. http://127.0.0.1:30582. */
  baseUrl: string;
  /** A member token per uid. */
  tokens: ReadonlyMap<string, string>;
  /** A client fix id prefix unique to this run, so a retried post is stored once and runs never collide. */
  runId: string;
  /** Least time between two posts of one member (the relay's default limit is 2 a second), ms. */
  minIntervalMs?: number;
  /** Fixes queued per member while the relay is away; older ones are dropped and counted. */
  maxQueued?: number;
}

interface MemberQueue {
  fixes: { fix: Fix; cid: string }[];
  notBefore: number;
  inFlight: boolean;
}

export function createIngestPublisher(settings: IngestPublisherSettings): FixPublisher {
  const url = new URL(INGEST_PATH, settings.baseUrl).toString();
  const minIntervalMs = settings.minIntervalMs ?? 1000;
  const maxQueued = settings.maxQueued ?? 10_000;
  const counts: PublisherCounts = { sent: 0, failed: 0, lastError: undefined };
  const queues = new Map<string, MemberQueue>();
  const pending = new Set<Promise<void>>();
  let sequence = 0;

  async function post(uid: string, queue: MemberQueue): Promise<void> {
    const token = settings.tokens.get(uid);
    const batch = queue.fixes.slice(0, INGEST_MAX_BATCH);
    queue.inFlight = true;
    queue.notBefore = Date.now() + minIntervalMs;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token ?? ''}` },
        body: JSON.stringify({ fixes: batch.map((b) => ingestRawFix(b.fix, b.cid)) }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await response.json().catch(() => undefined)) as
        IngestResult | IngestErrorBody | undefined;
      if (response.status === 429 || response.status === 503) {
        // Keep the batch: the relay asked to come back later.
        const retryS = Number(response.headers.get('retry-after') ?? 1);
        queue.notBefore = Date.now() + Math.max(1, retryS) * 1000;
        counts.lastError = body && 'error' in body ? body.error.code : `HTTP ${response.status}`;
        return;
      }
      queue.fixes.splice(0, batch.length);
      if (body && 'accepted' in body) {
        counts.sent += body.accepted + body.duplicates;
        counts.failed += body.refused.length;
        if (body.refused[0]) counts.lastError = body.refused[0].reason;
      } else {
        counts.failed += batch.length;
        counts.lastError = body && 'error' in body ? body.error.code : `HTTP ${response.status}`;
      }
    } catch (error) {
      counts.lastError = error instanceof Error ? error.message : String(error);
    } finally {
      queue.inFlight = false;
    }
  }

  return {
    counts,
    async send(fixes) {
      for (const fix of fixes) {
        let queue = queues.get(fix.uid);
        if (!queue) queues.set(fix.uid, (queue = { fixes: [], notBefore: 0, inFlight: false }));
        queue.fixes.push({ fix, cid: `${settings.runId}-${(sequence++).toString(36)}` });
        if (queue.fixes.length > maxQueued) {
          queue.fixes.shift();
          counts.failed++;
          counts.lastError = 'queue full';
        }
      }
      const now = Date.now();
      for (const [uid, queue] of queues) {
        if (queue.inFlight || !queue.fixes.length || queue.notBefore > now) continue;
        const request = post(uid, queue);
        pending.add(request);
        void request.finally(() => pending.delete(request));
      }
    },
    async close() {
      await Promise.allSettled([...pending]);
    },
  };
}
