/** The relay client's public shapes: options, status, received batches, counters. */
import type { Logger } from 'pino';
import type WebSocket from 'ws';
import type { Fix, FixPosition } from '../../../protocol/fix.js';
import type { ConnectionState } from '../../../contract/station-api.js';
import type { BackoffOptions } from './backoff.js';

export interface RelayStatus {
  state: ConnectionState;
  reason?: string;
  code?: string;
  since: number;
  relayUrl: string;
  relayDegraded?: boolean;
  nextRetryAt?: number;
  tokenExpiresAt?: number;
}

export type TokenRequestReason = 'connect' | 'expiring' | 'expired';

export interface RelayClientOptions {
  url: string;
  /** The operator token; called at every connect and when the relay says the token is expiring. */
  tokenProvider: (reason: TokenRequestReason) => Promise<string | undefined> | string | undefined;
  /** The members to watch (read at each (re)connect). */
  members: () => readonly string[];
  /** The last stored position per member (from the store), for `since` and gap detection. */
  positions: (uids: readonly string[]) => Promise<Map<string, FixPosition>> | Map<string, FixPosition>;
  logger: Logger;
  /**
   * Certificate authorities (PEM) trusted for a wss:// relay in addition to the system's: a company or test CA.
   * Verification itself is never turned off.
   */
  trustedCa?: string;
  /** Injectable for tests and other transports; defaults to `ws`. */
  WebSocket?: typeof WebSocket;
  backoff?: BackoffOptions;
  random?: () => number;
  now?: () => number;
}

export interface ReceivedFixes {
  fixes: Fix[];
  /** True for fixes from a catch-up replay or a range request, false for live ones. */
  replay: boolean;
}

export interface RelayClientCounters {
  framesReceived: number;
  invalidFrames: number;
  fixesReceived: number;
  rangeRequests: number;
  reconnects: number;
}
