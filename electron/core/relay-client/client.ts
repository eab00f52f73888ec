/**
 * The station's websocket subscription to the relay. A thin shell over decisions.ts: it owns the socket, the
 * timers and the counters; every "what now?" is a pure function there.
 *
 * - The operator token goes in the `Authorization` header (Node can set headers; the query parameter is for
 *   browsers). It comes from `tokenProvider` at each connect, so a refreshed token is picked up.
 * - Every frame is validated with `parseServerMessage`; a bad one is counted and dropped.
 * - After `welcome` it watches the configured members; when the relay positions fixes it passes `since` (the last
 *   position the store holds per member) so the relay replays what was missed while we were away.
 * - Silence for 2.5 × heartbeatMs means the relay is gone: terminate and reconnect.
 */
import WebSocket from 'ws';
import type { Fix, FixPosition } from '../../../protocol/fix.js';
import type { ServerMessage, WelcomeMessage } from '../../../protocol/messages.js';
import { positionOf } from '../../../protocol/messages.js';
import { retryDelay } from './backoff.js';
import {
  decideAfterClose,
  decideUpgradeRefusal,
  heartbeatDeadlineMs,
  stateWhileRetrying,
  type CloseDecision,
} from './decisions.js';
import { PositionTracker, watchMessages, WATCH_CHUNK } from './positions.js';
import { openRelaySocket, type RelaySocket } from './socket.js';
import type {
  ReceivedFixes,
  RelayClientCounters,
  RelayClientOptions,
  RelayStatus,
  TokenRequestReason,
} from './types.js';

export type {
  ReceivedFixes,
  RelayClientCounters,
  RelayClientOptions,
  RelayStatus,
  TokenRequestReason,
} from './types.js';

export class RelayClient {
  readonly counters: RelayClientCounters = {
    framesReceived: 0,
    invalidFrames: 0,
    fixesReceived: 0,
    rangeRequests: 0,
    reconnects: 0,
  };
  private socket: RelaySocket | undefined;
  private welcome: WelcomeMessage | undefined;
  private currentToken: string | undefined;
  private failedAttempts = 0;
  private retriedExpiredToken = false;
  private stopped = true;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** Why we are about to close our own socket (heartbeat timeout), so the close is reported truthfully. */
  private pendingCloseCode: string | undefined;
  /** Newest position seen per member in this session, to spot offset jumps. */
  private readonly held = new PositionTracker();
  private readonly fixListeners = new Set<(batch: ReceivedFixes) => void>();
  private readonly statusListeners = new Set<(status: RelayStatus) => void>();
  private requestSeq = 0;
  private current: RelayStatus;
  private readonly WS: typeof WebSocket;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: RelayClientOptions) {
    this.WS = options.WebSocket ?? WebSocket;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.current = { state: 'offline', code: 'not_started', since: this.now(), relayUrl: options.url };
  }

  get status(): RelayStatus {
    return this.current;
  }

  get positioning(): boolean {
    return this.welcome?.positioning ?? false;
  }

  onFixes(listener: (batch: ReceivedFixes) => void): () => void {
    this.fixListeners.add(listener);
    return () => this.fixListeners.delete(listener);
  }

  onStatus(listener: (status: RelayStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect('connect');
  }

  /** Drop the connection and connect again at once (new token or URL). */
  restart(): void {
    this.stop('restarting');
    this.failedAttempts = 0;
    this.retriedExpiredToken = false;
    this.start();
  }

  stop(reason = 'stopped'): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.heartbeatTimer);
    const socket = this.socket;
    this.socket = undefined;
    this.welcome = undefined;
    socket?.dispose(1000, reason);
    this.setStatus({ state: 'offline', code: reason, reason: `station ${reason}` });
  }

  /** Start watching members on the live connection (they are also watched at every reconnect). */
  async watch(uids: readonly string[]): Promise<void> {
    if (!this.welcome || uids.length === 0) return;
    await this.sendWatch(uids);
  }

  unwatch(uids: readonly string[]): void {
    this.held.forget(uids);
    if (!this.welcome || uids.length === 0) return;
    for (let i = 0; i < uids.length; i += WATCH_CHUNK) {
      this.send({ type: 'unwatch', members: uids.slice(i, i + WATCH_CHUNK) });
    }
  }

  private async connect(reason: TokenRequestReason): Promise<void> {
    if (this.stopped) return;
    let token: string | undefined;
    try {
      token = await this.options.tokenProvider(reason);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'token provider failed');
    }
    if (this.stopped) return;
    if (!token) {
      this.setStatus({ state: 'unauthorized', code: 'token_missing', reason: 'no operator token is set' });
      return;
    }
    this.currentToken = token;
    this.setStatus({ state: this.failedAttempts === 0 ? 'connecting' : this.current.state });
    try {
      this.socket = openRelaySocket(
        this.WS,
        this.options.url,
        token,
        {
          onMessage: (message) => {
            this.armHeartbeat();
            this.counters.framesReceived++;
            this.handleMessage(message);
          },
          onInvalidFrame: (reason, detail) => {
            this.armHeartbeat();
            this.counters.framesReceived++;
            this.counters.invalidFrames++;
            this.options.logger.debug({ reason, detail }, 'invalid relay frame');
          },
          onRefused: (status, authCode) => {
            this.socket = undefined;
            this.handleRefusal(status, authCode);
          },
          onClosed: ({ code, reason, unreachable, error }) => {
            this.socket = undefined;
            this.welcome = undefined;
            clearTimeout(this.heartbeatTimer);
            const decision = decideAfterClose(code);
            const closeCode = this.pendingCloseCode ?? (unreachable ? 'relay_unreachable' : decision.code);
            this.pendingCloseCode = undefined;
            this.scheduleReconnect(
              { ...decision, code: closeCode },
              reason || (unreachable ? error?.message : undefined) || describeClose(closeCode),
            );
          },
        },
        this.options.trustedCa,
      );
    } catch (error) {
      // Only a malformed URL throws here; retrying cannot fix it, a settings change will.
      this.setStatus({ state: 'offline', code: 'bad_relay_url', reason: (error as Error).message });
    }
  }

  private handleRefusal(status: number, authCode: string | undefined): void {
    const decision = decideUpgradeRefusal(status, authCode);
    if (decision.state === 'unauthorized') {
      if (decision.retry && !this.retriedExpiredToken) {
        this.retriedExpiredToken = true;
        this.setStatus({ state: 'token_expiring', code: decision.code, reason: 'token expired, refreshing' });
        void this.connect('expired');
        return;
      }
      this.setStatus({
        state: 'unauthorized',
        code: decision.code,
        reason: `the relay refused the token (${decision.code})`,
      });
      return;
    }
    this.scheduleReconnect(
      {
        state: 'reconnecting',
        delay: 'backoff',
        refreshToken: false,
        resetAttempts: false,
        code: decision.code,
      },
      `the relay answered HTTP ${status}`,
    );
  }

  private scheduleReconnect(decision: CloseDecision, reason: string): void {
    if (this.stopped) return;
    if (decision.resetAttempts) this.failedAttempts = 0;
    const delay = retryDelay(decision.delay, this.failedAttempts, this.options.backoff, this.random);
    this.failedAttempts++;
    this.counters.reconnects++;
    const nextRetryAt = this.now() + delay;
    this.setStatus({
      state: decision.state === 'reconnecting' ? stateWhileRetrying(this.failedAttempts) : decision.state,
      code: decision.code,
      reason,
      nextRetryAt,
    });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      void this.connect(decision.refreshToken ? 'expired' : 'connect');
    }, delay);
  }

  private armHeartbeat(): void {
    clearTimeout(this.heartbeatTimer);
    const heartbeatMs = this.welcome?.heartbeatMs;
    if (!heartbeatMs) return;
    const socket = this.socket;
    this.heartbeatTimer = setTimeout(() => {
      if (!socket || socket !== this.socket) return;
      this.options.logger.warn({ heartbeatMs }, 'relay silent past its heartbeat deadline; reconnecting');
      this.pendingCloseCode = 'heartbeat_timeout';
      socket.terminate();
    }, heartbeatDeadlineMs(heartbeatMs));
  }

  private handleMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        return void this.onWelcome(message);
      case 'fix':
        return this.onFix(message.fix, message.replay === true);
      case 'watched':
        if (message.latest) this.emitFixes([message.latest], true);
        if (message.catchup.status === 'not_recoverable') {
          this.options.logger.info(
            { uid: message.uid, reason: message.catchup.reason },
            'relay cannot replay what this member sent while we were away',
          );
        }
        return;
      case 'range':
        if (message.fixes.length > 0) this.emitFixes(message.fixes, true);
        if (!message.complete) {
          this.options.logger.info(
            { uid: message.uid, reason: message.reason },
            'range only partly retained',
          );
        }
        return;
      case 'status':
        return this.setStatus({
          relayDegraded: message.degraded,
          reason: message.reason ?? this.current.reason,
        });
      case 'auth_ok':
        this.retriedExpiredToken = false;
        return this.setStatus({
          state: 'connected',
          code: 'token_refreshed',
          reason: 'token refreshed',
          tokenExpiresAt: message.expiresAt,
        });
      case 'token_expiring':
        return void this.refreshToken(message.expiresAt);
      case 'error':
        this.options.logger.warn(
          { code: message.code, uid: message.uid, detail: message.message },
          'relay error',
        );
        if (message.code === 'bad_token') {
          this.setStatus({ state: 'token_expiring', code: 'bad_token', reason: message.message });
        }
        return;
      case 'replay_done':
      case 'unwatched':
      case 'history':
      case 'heartbeat':
      case 'pong':
        return;
    }
  }

  private async onWelcome(welcome: WelcomeMessage): Promise<void> {
    this.welcome = welcome;
    this.failedAttempts = 0;
    this.retriedExpiredToken = false;
    this.held.reset();
    this.armHeartbeat();
    this.setStatus({
      state: 'connected',
      code: 'welcome',
      reason: `connected to relay ${welcome.relayId}`,
      relayDegraded: welcome.degraded,
      tokenExpiresAt: welcome.expiresAt,
      nextRetryAt: undefined,
    });
    await this.sendWatch(this.options.members());
  }

  private async sendWatch(uids: readonly string[]): Promise<void> {
    const welcome = this.welcome;
    if (!welcome || uids.length === 0) return;
    let since = new Map<string, FixPosition>();
    if (welcome.positioning) {
      try {
        since = await this.options.positions(uids);
      } catch (error) {
        this.options.logger.warn(
          { err: error },
          'could not read stored positions; watching without catch-up',
        );
      }
    }
    if (welcome !== this.welcome) return; // reconnected meanwhile: the new welcome watches again
    this.held.seed(since);
    for (const message of watchMessages(uids, since)) this.send(message);
  }

  private onFix(fix: Fix, replay: boolean): void {
    const position = positionOf(fix);
    if (position && this.positioning && !replay) {
      const missed = this.held.observe(fix.uid, position);
      if (missed) {
        this.counters.rangeRequests++;
        this.send({
          type: 'range',
          id: `r${++this.requestSeq}`,
          uid: fix.uid,
          epoch: position.epoch,
          ...missed,
        });
      }
    }
    this.emitFixes([fix], replay);
  }

  private async refreshToken(expiresAt: number): Promise<void> {
    this.setStatus({
      state: 'token_expiring',
      code: 'token_expiring',
      reason: 'the token expires soon',
      tokenExpiresAt: expiresAt,
    });
    let token: string | undefined;
    try {
      token = await this.options.tokenProvider('expiring');
    } catch (error) {
      this.options.logger.warn({ err: error }, 'token provider failed');
    }
    if (token && token !== this.currentToken && this.welcome) {
      this.currentToken = token;
      this.send({ type: 'auth', token });
    }
  }

  private emitFixes(fixes: Fix[], replay: boolean): void {
    this.counters.fixesReceived += fixes.length;
    for (const listener of this.fixListeners) listener({ fixes, replay });
  }

  private send(message: object): void {
    this.socket?.send(message);
  }

  private setStatus(change: Partial<RelayStatus>): void {
    const state = change.state ?? this.current.state;
    const next: RelayStatus = {
      ...this.current,
      ...change,
      state,
      since: state !== this.current.state ? this.now() : this.current.since,
    };
    if (state !== 'reconnecting' && state !== 'offline') next.nextRetryAt = undefined;
    this.current = next;
    for (const listener of this.statusListeners) listener(next);
  }
}

function describeClose(code: string): string {
  return code === 'heartbeat_timeout'
    ? 'the relay stopped sending heartbeats'
    : `connection closed (${code})`;
}
