/** The relay client's public shapes: options, received batches, counters. The status is status.ts's. */
import type { Logger } from 'pino';
import type WebSocket from 'ws';
import type { Fix, FixPosition } from '../../../protocol/fix.js';
import type { BackoffOptions } from '../../../protocol/backoff.js';
import type { GapStore } from './backfill.js';

export type { RelayStatus } from './status.js';

export type TokenRequestReason = 'connect' | 'expiring' | 'expired';

export interface RelayClientOptions {
  url: string;
  /** The operator token; called at every connect and when the relay says the token is expiring. */
  tokenProvider: (reason: TokenRequestReason) => Promise<string | undefined> | string | undefined;
  /** The members to watch (read at each (re)connect). */
  members: () => readonly string[];
  /** The last stored position per member (from the store), for `since` and gap detection. */
  positions: (uids: readonly string[]) => Promise<Map<string, FixPosition>> | Map<string, FixPosition>;
  /** Spans to backfill and holes (the store); without it the relay's `not_recoverable` is only logged. */
  gaps?: GapStore;
  /** Resolves once every fix handed to the fix listeners so far is stored; backfill pages wait for it. */
  stored?: () => Promise<void>;
  /** Resolves once every fix handed on so far is stored and delivered to the renderer (default: `stored`). */
  delivered?: () => Promise<void>;
  logger: Logger;
  /**
   * Certificate authorities (PEM) trusted for a wss:// relay in addition to the system's: a company or test CA.
   * Verification itself is never turned off.
   */
  trustedCa?: string;
  /** Injectable for tests and other transports; defaults to `ws`. */
  WebSocket?: typeof WebSocket;
  backoff?: BackoffOptions;
  /** Silence this long after a request left means no answer (default 30 s). */
  requestTimeoutMs?: number;
  random?: () => number;
  now?: () => number;
}

export interface ReceivedFixes {
  fixes: Fix[];
  /** True for fixes from a catch-up replay, a range request or a backfill, false for live ones. */
  replay: boolean;
}

export interface RelayClientCounters {
  framesReceived: number;
  invalidFrames: number;
  fixesReceived: number;
  rangeRequests: number;
  /** Members whose offset jumps were asked for by one catch-up watch among many, instead of a `range` each. */
  gapCatchups: number;
  reconnects: number;
  /** Heartbeat deadlines that fired late, after this process's event loop was busy, and waited instead. */
  heartbeatStalls: number;
}
