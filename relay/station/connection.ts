/**
 * One station's connection to the relay: who it is (the token's claims), what it watches, and its backlog. Every fix
 * reaches the socket through `deliver`, the one delivery path: it applies backpressure (coalescing in the outbox,
 * outbox.ts; slow close) and can hold a member's live fixes while that member's watch is being answered (and, with
 * positioning, while a replay is sent). Fix frames are written by socket-writer.ts, past `ws`.
 */
import type { WebSocket } from 'ws';
import { CloseCode } from '../../protocol/codes.js';
import type { Fix, PositionedFix } from '../../protocol/fix.js';
import { SeamMerger } from '../positioning/seam.js';
import type { ServerMessage } from '../../protocol/messages.js';
import type { MemberScope } from '../../protocol/token.js';
import type { BackpressureLimits } from './backpressure.js';
import { decideDelivery } from './backpressure.js';
import { Outbox } from './outbox.js';
import { writeFrame } from './socket-writer.js';

export interface StationIdentity {
  operator: string;
  members: MemberScope;
  /** Token expiry, ms since 1970. */
  expiresAt: number;
}

/** Plain counters shared by all connections (cheaper than a metric call per frame); metrics read them. */
export interface DeliveryTally {
  /** Fix frames handed to sockets. */
  delivered: number;
  /** Fix frames replaced by a newer fix of the same member before a slow station took them. */
  coalesced: number;
}

export interface ConnectionHooks {
  tally: DeliveryTally;
  /** The connection is being closed by the relay, with this code. */
  onClosing(code: number): void;
}

/** Live fixes held for one member while its watch is answered; past this only the newest are kept. */
const MAX_HELD_PER_MEMBER = 1000;
/** How often a backlogged connection's outbox is retried. */
const OUTBOX_RETRY_MS = 20;
/** After a relay-initiated close, a station that does not finish the closing handshake is cut off. */
const CLOSE_GRACE_MS = 5000;

export class StationConnection {
  readonly watched = new Set<string>();
  /** Reset by every pong; the heartbeat terminates connections that stay silent for a whole interval. */
  alive = true;
  /** Heartbeat ticks in a row that found the previous ping unanswered. */
  missedPings = 0;
  closing = false;
  /**
   * Positioning's replay/live seam per watched member: live positioned fixes pass through it, so none is sent
   * before the replay it follows, and none twice. Unused while positioning is off (fixes carry no offset).
   */
  readonly seam = new SeamMerger();

  private readonly outbox = new Outbox();
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly held = new Map<string, Buffer[]>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly id: string,
    readonly ws: WebSocket,
    public identity: StationIdentity,
    private readonly limits: BackpressureLimits,
    private readonly hooks: ConnectionHooks,
  ) {}

  /**
   * Control messages and replies bypass the outbox (they must not be coalesced away), but not the backlog limit:
   * a `history` or `range` reply can be 100s of KiB, so a station that asks and stops reading would otherwise grow
   * the relay's memory without bound. Past the hard limit the connection is closed with 4008, as for fixes.
   */
  send(message: ServerMessage): void {
    this.sendRaw(JSON.stringify(message));
  }

  sendRaw(frame: string): void {
    if (this.closing || this.ws.readyState !== this.ws.OPEN) return;
    // A frame's UTF-8 size is at most 3 bytes per UTF-16 unit: count it exactly only near the limit.
    const room = this.limits.hardBytes - this.backlogBytes();
    if (frame.length * 3 > room && Buffer.byteLength(frame) > room) {
      this.closeWith(CloseCode.SLOW_CONSUMER, 'slow consumer');
      return;
    }
    this.ws.send(frame);
  }

  /**
   * Hand one fix frame of member `uid` to this station: a complete websocket frame (ws-frame.ts), shared by every
   * watcher because it was serialized and framed once. Returns false if the fix was not sent now (held, queued or
   * the station is closing). `fix` is the frame's fix: when positioned, the seam decides whether it goes out now.
   */
  deliver(uid: string, frame: Buffer, fix?: Fix): boolean {
    if (this.closing || this.ws.readyState !== this.ws.OPEN) return false;
    if (fix?.offset !== undefined && this.seam.live(fix as PositionedFix).length === 0) return false;
    return this.push(uid, frame);
  }

  /** The delivery path after the seam: hold, send, coalesce or close. */
  push(uid: string, frame: Buffer): boolean {
    if (this.closing || this.ws.readyState !== this.ws.OPEN) return false;
    const held = this.held.get(uid);
    if (held) {
      if (held.length >= MAX_HELD_PER_MEMBER) held.shift();
      held.push(frame);
      return false;
    }
    // The clock is only read when the station is behind (or falls behind below): decideDelivery looks at `now`
    // only beside `behindSince`, and Date.now() per delivered fix was a visible share of the relay's CPU.
    const behindSince = this.outbox.behindSince;
    const now = behindSince === undefined ? 0 : Date.now();
    const decision = decideDelivery(
      { bufferedBytes: this.ws.bufferedAmount, outboxBytes: this.outbox.bytes, behindSince, now },
      this.limits,
    );
    if (decision === 'send') {
      writeFrame(this.ws, frame);
      this.hooks.tally.delivered++;
      return true;
    }
    if (decision === 'close') {
      this.closeWith(CloseCode.SLOW_CONSUMER, 'slow consumer');
      return false;
    }
    if (this.outbox.put(uid, frame, Date.now())) this.hooks.tally.coalesced++;
    this.retryTimer ??= setTimeout(() => this.retryOutbox(), OUTBOX_RETRY_MS);
    return false;
  }

  /**
   * A fix frame of a catch-up replay: written in call order and never coalesced, because a replay must arrive
   * whole. The caller paces itself on `backlogBytes()` and holds the member's live fixes meanwhile.
   */
  writeReplay(frame: Buffer): boolean {
    if (this.closing || this.ws.readyState !== this.ws.OPEN) return false;
    if (this.backlogBytes() + frame.length > this.limits.hardBytes) {
      this.closeWith(CloseCode.SLOW_CONSUMER, 'slow consumer');
      return false;
    }
    writeFrame(this.ws, frame);
    this.hooks.tally.delivered++;
    return true;
  }

  /** Bytes this connection holds in relay memory: the socket's unsent bytes plus the outbox. */
  backlogBytes(): number {
    return this.ws.bufferedAmount + this.outbox.bytes;
  }

  private retryOutbox(): void {
    this.retryTimer = undefined;
    // Nothing may follow a close frame, whichever side sent it.
    if (this.closing || this.ws.readyState !== this.ws.OPEN) return;
    const now = Date.now();
    const behindSince = this.outbox.behindSince;
    if (behindSince !== undefined && now - behindSince > this.limits.slowTimeoutMs) {
      this.closeWith(CloseCode.SLOW_CONSUMER, 'slow consumer');
      return;
    }
    if (this.ws.bufferedAmount <= this.limits.softBytes) {
      this.hooks.tally.delivered += this.outbox.flush((frame) => writeFrame(this.ws, frame));
      return;
    }
    this.retryTimer = setTimeout(() => this.retryOutbox(), OUTBOX_RETRY_MS);
  }

  /** Hold live fixes of `uid` until `release(uid)`. */
  hold(uid: string): void {
    if (!this.held.has(uid)) this.held.set(uid, []);
  }

  /** Stop holding `uid`: `first` (fixes that precede the held ones), then the held fixes go out, in order. */
  release(uid: string, first: readonly Buffer[] = []): void {
    const frames = this.held.get(uid) ?? [];
    this.held.delete(uid);
    for (const frame of first) this.push(uid, frame);
    for (const frame of frames) this.push(uid, frame);
  }

  /** Forget everything queued for `uid` (it was unwatched). */
  forget(uid: string): void {
    this.held.delete(uid);
    this.seam.forget(uid);
    this.outbox.drop(uid);
  }

  /** A timer that dies with the connection. */
  schedule(delayMs: number, fn: () => void): NodeJS.Timeout {
    // setTimeout overflows past 2^31-1 ms (~24.8 days) and would fire at once; re-arm instead.
    const MAX = 2_147_483_647;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        if (delayMs > MAX) this.schedule(delayMs - MAX, fn);
        else fn();
      },
      Math.min(Math.max(0, delayMs), MAX),
    );
    this.timers.add(timer);
    return timer;
  }

  unschedule(timer: NodeJS.Timeout | undefined): void {
    if (!timer) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  /** Close from the relay's side with a documented code; the station is cut off if it does not answer. */
  closeWith(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.hooks.onClosing(code);
    this.dispose();
    this.ws.close(code, reason);
    const cut = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
    cut.unref();
    this.ws.once('close', () => clearTimeout(cut));
  }

  /** Release timers and queued frames (on close). */
  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.outbox.clear();
    this.held.clear();
  }
}
