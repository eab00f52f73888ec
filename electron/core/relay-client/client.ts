/**
 * The station's websocket connection to the relay: its lifecycle (token, connect, heartbeat deadline, reconnect
 * with backoff), and nothing of the protocol spoken on it, which is session.ts's (one session per `welcome`).
 * Every "what now?" is a pure function: decisions.ts for closes and refusals, status.ts for the status shown.
 *
 * - The operator token goes in the `Authorization` header (Node can set headers; the query parameter is for
 *   browsers). It comes from `tokenProvider` at each connect, so a refreshed token is picked up.
 * - Every frame is validated with `parseServerMessage`; a bad one is counted and dropped.
 * - Silence for 2.5 × heartbeatMs means the relay is gone: terminate and reconnect.
 */
import WebSocket from 'ws';
import type { Fix } from '../../../protocol/fix.js';
import type { ServerMessage, WelcomeMessage } from '../../../protocol/messages.js';
import type { StatusCode } from '../../../contract/station-api.js';
import { retryDelay } from './backoff.js';
import {
  decideAfterClose,
  decideUpgradeRefusal,
  heartbeatDeadlineMs,
  heartbeatVerdict,
  stateWhileRetrying,
  type CloseDecision,
} from './decisions.js';
import type { MemberAnswer } from './requests.js';
import { RelaySession } from './session.js';
import { openRelaySocket, type RelaySocket } from './socket.js';
import { initialStatus, reduceStatus, type RelayStatus, type StatusEvent } from './status.js';
import type { ReceivedFixes, RelayClientCounters, RelayClientOptions, TokenRequestReason } from './types.js';

export type { MemberAnswer } from './requests.js';
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
    gapCatchups: 0,
    reconnects: 0,
    heartbeatStalls: 0,
  };
  private socket: RelaySocket | undefined;
  private session: RelaySession | undefined;
  private currentToken: string | undefined;
  private failedAttempts = 0;
  private retriedExpiredToken = false;
  private stopped = true;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** Why we are about to close our own socket (heartbeat timeout), so the close is reported truthfully. */
  private pendingCloseCode: StatusCode | undefined;
  private readonly fixListeners = new Set<(batch: ReceivedFixes) => void>();
  private readonly statusListeners = new Set<(status: RelayStatus) => void>();
  private current: RelayStatus;
  private readonly WS: typeof WebSocket;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: RelayClientOptions) {
    this.WS = options.WebSocket ?? WebSocket;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.current = initialStatus(options.url, this.now());
  }

  get status(): RelayStatus {
    return this.current;
  }

  get positioning(): boolean {
    return this.session?.positioning ?? false;
  }

  /** The current session's welcome, while connected. */
  get welcome(): WelcomeMessage | undefined {
    return this.session?.welcome;
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

  stop(code: 'stopped' | 'closing' | 'restarting' | 'relay_changed' = 'stopped'): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.heartbeatTimer);
    const socket = this.socket;
    this.socket = undefined;
    this.endSession();
    socket?.dispose(1000, code);
    this.report({ type: 'halted', state: 'offline', code, reason: `station ${code}` });
  }

  /**
   * Watch members on the live connection (they are also watched at every reconnect). Resolves with the relay's
   * answer per member; `unanswered` for all while there is no connection.
   */
  async watch(uids: readonly string[]): Promise<MemberAnswer[]> {
    if (!this.session) return uids.map((uid) => ({ uid, answer: 'unanswered' }));
    return this.session.watch(uids);
  }

  /** Resolves once the relay has confirmed each member (at once while there is no connection). */
  async unwatch(uids: readonly string[]): Promise<MemberAnswer[]> {
    if (!this.session || uids.length === 0) return uids.map((uid) => ({ uid, answer: 'unanswered' }));
    return this.session.unwatch(uids);
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
      this.report({
        type: 'halted',
        state: 'unauthorized',
        code: 'token_missing',
        reason: 'no operator token is set',
      });
      return;
    }
    this.currentToken = token;
    this.report({ type: 'connecting', firstAttempt: this.failedAttempts === 0 });
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
            this.endSession();
            clearTimeout(this.heartbeatTimer);
            const { detail, ...decision } = decideAfterClose(code);
            const ownCode = this.pendingCloseCode ?? (unreachable ? 'relay_unreachable' : undefined);
            this.pendingCloseCode = undefined;
            this.scheduleReconnect(
              ownCode
                ? { ...decision, code: ownCode }
                : { ...decision, ...(detail !== undefined ? { detail } : {}) },
              reason ||
                (unreachable ? error?.message : undefined) ||
                describeClose(ownCode ?? decision.code, detail),
            );
          },
        },
        this.options.trustedCa,
      );
    } catch (error) {
      // Only a malformed URL throws here; retrying cannot fix it, a settings change will.
      this.report({
        type: 'halted',
        state: 'offline',
        code: 'bad_relay_url',
        reason: (error as Error).message,
      });
    }
  }

  private handleRefusal(status: number, authCode: string | undefined): void {
    const decision = decideUpgradeRefusal(status, authCode);
    const detail = decision.detail !== undefined ? { detail: decision.detail } : {};
    if (decision.state === 'unauthorized') {
      if (decision.retry && !this.retriedExpiredToken) {
        this.retriedExpiredToken = true;
        this.report({ type: 'token_expiring', code: 'token_expired', reason: 'token expired, refreshing' });
        void this.connect('expired');
        return;
      }
      this.report({
        type: 'halted',
        state: 'unauthorized',
        code: decision.code,
        reason: `the relay refused the token (${authCode ?? `HTTP ${status}`})`,
        ...detail,
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
        ...detail,
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
    this.report({
      type: 'retrying',
      state: decision.state === 'reconnecting' ? stateWhileRetrying(this.failedAttempts) : decision.state,
      code: decision.code,
      reason,
      ...(decision.detail !== undefined ? { detail: decision.detail } : {}),
      nextRetryAt: this.now() + delay,
    });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      void this.connect(decision.refreshToken ? 'expired' : 'connect');
    }, delay);
  }

  /** `afterStall`: this deadline replaces one that fired late (see heartbeatVerdict); it is the last chance. */
  private armHeartbeat(afterStall?: { ms: number }): void {
    clearTimeout(this.heartbeatTimer);
    const heartbeatMs = this.session?.welcome.heartbeatMs;
    if (!heartbeatMs) return;
    const socket = this.socket;
    const deadline = afterStall?.ms ?? heartbeatDeadlineMs(heartbeatMs);
    const armedAt = Date.now();
    this.heartbeatTimer = setTimeout(() => {
      if (!socket || socket !== this.socket) return;
      const verdict = heartbeatVerdict(
        heartbeatMs,
        Date.now() - armedAt - deadline,
        afterStall !== undefined,
      );
      if (verdict.kind === 'wait') {
        this.counters.heartbeatStalls++;
        this.options.logger.info(
          { heartbeatMs, lateMs: Date.now() - armedAt - deadline },
          'heartbeat deadline fired late (busy event loop); reading the socket before judging the relay',
        );
        return this.armHeartbeat(verdict);
      }
      this.options.logger.warn({ heartbeatMs }, 'relay silent past its heartbeat deadline; reconnecting');
      this.pendingCloseCode = 'heartbeat_timeout';
      socket.terminate();
    }, deadline);
  }

  /** Connection-level messages here; the protocol proper goes to the session. */
  private handleMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        return void this.onWelcome(message);
      case 'status':
        return this.report({
          type: 'relay_status',
          degraded: message.degraded,
          ...(message.reason !== undefined ? { reason: message.reason } : {}),
        });
      case 'auth_ok':
        this.retriedExpiredToken = false;
        return this.report({ type: 'token_refreshed', expiresAt: message.expiresAt });
      case 'token_expiring':
        return void this.refreshToken(message.expiresAt);
      case 'heartbeat':
      case 'pong':
        return;
      case 'error':
        if (message.code === 'bad_token') {
          this.report({ type: 'token_expiring', code: 'bad_token', reason: message.message });
        }
        return this.session?.handle(message);
      default:
        return this.session?.handle(message);
    }
  }

  private async onWelcome(welcome: WelcomeMessage): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    this.endSession();
    this.failedAttempts = 0;
    this.retriedExpiredToken = false;
    const session = new RelaySession({
      welcome,
      write: (message) => socket.send(message),
      logger: this.options.logger,
      positions: this.options.positions,
      ...(this.options.gaps ? { gaps: this.options.gaps } : {}),
      emitFixes: (fixes, replay) => this.emitFixes(fixes, replay),
      stored: this.options.stored ?? (() => Promise.resolve()),
      ...(this.options.delivered ? { delivered: this.options.delivered } : {}),
      onStatus: (event) => {
        if (this.session === session) this.report(event);
      },
      counters: this.counters,
      ...(this.options.requestTimeoutMs !== undefined
        ? { requestTimeoutMs: this.options.requestTimeoutMs }
        : {}),
      now: this.now,
    });
    this.session = session;
    this.armHeartbeat();
    // Started before `welcome` is reported, so the first `connected` status already counts the members being caught
    // up: between the two, the renderer would judge silence the reconnect caused.
    const watching = session.watch(this.options.members());
    this.report({ type: 'catching_up', members: session.catchingUpCount });
    this.report({
      type: 'welcome',
      relayId: welcome.relayId,
      degraded: welcome.degraded,
      expiresAt: welcome.expiresAt,
    });
    this.report({ type: 'backfill', progress: session.backfillProgress() });
    const answers = await watching;
    const refused = answers.filter((a) => a.answer === 'refused');
    if (refused.length > 0) {
      this.options.logger.warn(
        { count: refused.length, sample: refused.slice(0, 5) },
        'the relay refused members of the watch list',
      );
    }
    if (this.session === session) await session.resumeBackfill();
  }

  private endSession(): void {
    this.session?.close();
    this.session = undefined;
  }

  private async refreshToken(expiresAt: number): Promise<void> {
    this.report({
      type: 'token_expiring',
      code: 'token_expiring',
      reason: 'the token expires soon',
      expiresAt,
    });
    let token: string | undefined;
    try {
      token = await this.options.tokenProvider('expiring');
    } catch (error) {
      this.options.logger.warn({ err: error }, 'token provider failed');
    }
    if (token && token !== this.currentToken && this.session) {
      this.currentToken = token;
      this.session.send({ type: 'auth', token }, { now: true });
    }
  }

  private emitFixes(fixes: Fix[], replay: boolean): void {
    this.counters.fixesReceived += fixes.length;
    for (const listener of this.fixListeners) listener({ fixes, replay });
  }

  private report(event: StatusEvent): void {
    this.current = reduceStatus(this.current, event, this.now());
    for (const listener of this.statusListeners) listener(this.current);
  }
}

function describeClose(code: StatusCode, detail: string | undefined): string {
  if (code === 'heartbeat_timeout') return 'the relay stopped sending heartbeats';
  return `connection closed (${detail ?? code})`;
}
