/**
 * One relay session: what the station says and hears between a `welcome` and the end of that connection. It
 * watches members (answering each request from the relay's own replies), asks for missed offsets when live fixes
 * jump, turns `not_recoverable` verdicts into backfill spans or holes, and paces everything it sends inside the
 * relay's control rate. A new connection gets a new session; nothing of an old one leaks into it.
 */
import type { Logger } from 'pino';
import type { Fix, FixPosition } from '../../../protocol/fix.js';
import type {
  ClientMessage,
  HistoryReply,
  RangeReply,
  ServerMessage,
  WatchedMessage,
  WelcomeMessage,
} from '../../../protocol/messages.js';
import { positionOf } from '../../../protocol/messages.js';
import { CatchingUp } from './catching-up.js';
import { Backfiller, type GapStore, type HistoryRequest } from './backfill.js';
import { isAheadOfRelay, planAfterNotRecoverable } from './backfill-plan.js';
import { Pacer, RELAY_DEFAULT_PACE, stationPace } from './pacer.js';
import { PositionTracker, WATCH_CHUNK, watchBatches } from './positions.js';
import { PendingRequests, type MemberAnswer } from './requests.js';
import type { StatusEvent } from './status.js';
import type { RelayClientCounters } from './types.js';

export interface SessionDeps {
  welcome: WelcomeMessage;
  /** Writes one message on this session's socket. */
  write(message: ClientMessage): void;
  logger: Logger;
  positions(uids: readonly string[]): Promise<Map<string, FixPosition>> | Map<string, FixPosition>;
  /** Where spans to fetch and holes are kept; without it a `not_recoverable` is only logged. */
  gaps?: GapStore;
  emitFixes(fixes: Fix[], replay: boolean): void;
  /** Resolves once every fix emitted so far is stored. */
  stored(): Promise<void>;
  /** Resolves once every fix emitted so far is stored and handed to the renderer (default: `stored`). */
  delivered?(): Promise<void>;
  onStatus(event: StatusEvent): void;
  counters: RelayClientCounters;
  /** Silence this long after a request left means no answer (default 30 s). */
  requestTimeoutMs?: number;
  now(): number;
}

/**
 * Offset jumps seen within this long go out together. One gap is asked for with `range`; more than
 * RANGES_AT_MOST at once (the relay coalesced a slow station's fixes: thousands of members, each one jump) are
 * asked for as a catch-up watch from the last position held, up to a thousand members per message. A `range` per
 * member at the station's pace (10 control messages a second) took 5,000 members over eight minutes to recover.
 */
const GAP_GATHER_MS = 50;
const RANGES_AT_MOST = 3;

/** A member the relay could not read Redis for is watched again this often, this many times. */
const WATCH_AGAIN_MS = 5_000;
const WATCH_AGAIN_TIMES = 3;

interface RangeAsked {
  uid: string;
  epoch: string;
  from: number;
  to: number;
  /** Time of the live fix that showed the jump: the end of the span, should it be gone. */
  toTs: number;
}

export class RelaySession {
  private readonly pacer: Pacer<ClientMessage>;
  private readonly requests = new PendingRequests();
  private readonly held = new PositionTracker();
  /** The `since` sent for each member, to plan a backfill when the relay will not replay. */
  private readonly sinceOf = new Map<string, FixPosition>();
  private readonly ranges = new Map<string, RangeAsked>();
  private readonly watchAgainTimers = new Set<NodeJS.Timeout>();
  private readonly watchAgainCount = new Map<string, number>();
  /** Offset jumps waiting for GAP_GATHER_MS, per member. */
  private readonly gaps = new Map<string, RangeAsked>();
  private gapTimer: NodeJS.Timeout | undefined;
  private readonly backfiller: Backfiller | undefined;
  private readonly catchingUp: CatchingUp;
  /** Waiting for the next shared "stored and delivered" (whenDelivered). */
  private readonly deliveredWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly deps: SessionDeps) {
    const limits = deps.welcome.limits as WelcomeMessage['limits'] & {
      controlRate?: number;
      controlBurst?: number;
    };
    const pace = stationPace({
      ratePerSecond: limits.controlRate ?? RELAY_DEFAULT_PACE.ratePerSecond,
      burst: limits.controlBurst ?? RELAY_DEFAULT_PACE.burst,
    });
    this.pacer = new Pacer(pace, (message) => this.writeNow(message), deps.now);
    this.catchingUp = new CatchingUp({
      onChange: (members) => this.deps.onStatus({ type: 'catching_up', members }),
      logger: deps.logger,
      now: deps.now,
    });
    if (deps.gaps && deps.welcome.positioning) {
      this.backfiller = new Backfiller({
        store: deps.gaps,
        history: (request) => this.history(request),
        deliver: async (fixes) => {
          this.deps.emitFixes(fixes, true);
          await this.deps.stored();
        },
        onProgress: (progress) => this.deps.onStatus({ type: 'backfill', progress }),
        pageSize: deps.welcome.limits.historyPageMax,
        logger: deps.logger,
      });
    }
  }

  get positioning(): boolean {
    return this.deps.welcome.positioning;
  }

  get welcome(): WelcomeMessage {
    return this.deps.welcome;
  }

  /** Control messages still waiting for the pace. */
  get queued(): number {
    return this.pacer.queued;
  }

  /** Send through the pace (everything but what must not wait behind a bulk watch: token refreshes). */
  send(message: ClientMessage, options: { now?: boolean } = {}): void {
    if (this.closed) return;
    if (options.now) this.writeNow(message);
    else this.pacer.send(message);
  }

  /** Fetch the spans the store still holds from earlier sessions. */
  resumeBackfill(): Promise<void> {
    return this.backfiller?.resume() ?? Promise.resolve();
  }

  /** Members whose missed fixes the relay may still be sending. */
  get catchingUpCount(): number {
    return this.catchingUp.count;
  }

  backfillProgress() {
    return this.backfiller?.progress() ?? [];
  }

  async watch(uids: readonly string[]): Promise<MemberAnswer[]> {
    if (uids.length === 0) return [];
    // Caught up from now, not from the answer: a member whose watch is still queued has not been replayed either.
    this.catchingUp.expect(uids);
    let since = new Map<string, FixPosition>();
    if (this.positioning) {
      try {
        since = await this.deps.positions(uids);
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'could not read stored positions; watching without catch-up');
      }
    }
    if (this.closed) return uids.map((uid) => ({ uid, answer: 'unanswered' }));
    this.held.seed(since);
    for (const [uid, position] of since) this.sinceOf.set(uid, position);
    const maxBytes = Math.floor(this.deps.welcome.limits.maxPayload * 0.9);
    const answers = await Promise.all(
      watchBatches(uids, since, { maxBytes }).map((members) => {
        const id = this.requests.nextId('w');
        const answered = this.requests.openMembers(
          id,
          members.map((m) => m.uid),
        );
        this.send({ type: 'watch', id, members });
        return answered;
      }),
    );
    const flat = answers.flat();
    this.catchingUp.done(flat.filter((a) => a.answer !== 'ok').map((a) => a.uid));
    return flat;
  }

  async unwatch(uids: readonly string[]): Promise<MemberAnswer[]> {
    if (this.closed) return uids.map((uid) => ({ uid, answer: 'unanswered' }));
    this.held.forget(uids);
    this.catchingUp.done(uids);
    for (const uid of uids) {
      this.sinceOf.delete(uid);
      // A jump still being gathered would go out as a watch after this unwatch and watch the member again.
      this.gaps.delete(uid);
    }
    const pending: Promise<MemberAnswer[]>[] = [];
    for (let i = 0; i < uids.length; i += WATCH_CHUNK) {
      const members = uids.slice(i, i + WATCH_CHUNK);
      const id = this.requests.nextId('u');
      pending.push(this.requests.openMembers(id, members));
      this.send({ type: 'unwatch', id, members });
    }
    return (await Promise.all(pending)).flat();
  }

  /** Messages of the protocol proper; the connection keeps heartbeats, tokens and relay status. */
  handle(message: ServerMessage): void {
    switch (message.type) {
      case 'fix':
        return this.onFix(message.fix, message.replay === true);
      case 'watched':
        return this.onWatched(message);
      case 'replay_done':
        return this.onReplayDone(message.uid);
      case 'unwatched':
        if (message.id) this.requests.answerMember(message.id, { uid: message.uid, answer: 'ok' });
        return;
      case 'range':
        return this.onRange(message);
      case 'history':
        this.requests.resolve(message.id, message);
        return;
      case 'error':
        return this.onError(message);
      default:
        return;
    }
  }

  close(): void {
    this.closed = true;
    this.pacer.close();
    this.backfiller?.stop();
    this.catchingUp.close();
    for (const timer of this.watchAgainTimers) clearTimeout(timer);
    clearTimeout(this.gapTimer);
    this.gaps.clear();
    this.requests.closeAll();
  }

  private writeNow(message: ClientMessage): void {
    if (this.closed) return;
    this.deps.write(message);
    if ('id' in message && message.id !== undefined) {
      this.requests.armTimeout(message.id, this.deps.requestTimeoutMs ?? 30_000);
    }
  }

  private history(request: HistoryRequest): Promise<HistoryReply> {
    const id = this.requests.nextId('h');
    const reply = this.requests.openSingle<HistoryReply>(id);
    this.send({ type: 'history', id, ...request });
    return reply;
  }

  private onFix(fix: Fix, replay: boolean): void {
    const position = positionOf(fix);
    if (position && this.positioning && replay) this.held.advance(fix.uid, position);
    if (replay) this.catchingUp.progress();
    if (position && this.positioning && !replay) {
      const missed = this.held.observe(fix.uid, position);
      if (missed) this.gatherGap({ uid: fix.uid, epoch: position.epoch, ...missed, toTs: fix.ts });
    }
    this.deps.emitFixes([fix], replay);
  }

  private gatherGap(gap: RangeAsked): void {
    const earlier = this.gaps.get(gap.uid);
    // A second jump of the same member before the first went out: one span from the first missing offset.
    if (earlier && earlier.epoch === gap.epoch) gap = { ...gap, from: Math.min(earlier.from, gap.from) };
    this.gaps.set(gap.uid, gap);
    this.gapTimer ??= setTimeout(() => this.askForGaps(), GAP_GATHER_MS);
  }

  private askForGaps(): void {
    this.gapTimer = undefined;
    if (this.closed) return;
    const gaps = [...this.gaps.values()];
    this.gaps.clear();
    if (gaps.length <= RANGES_AT_MOST) {
      for (const gap of gaps) {
        this.deps.counters.rangeRequests++;
        const id = this.requests.nextId('r');
        this.ranges.set(id, gap);
        this.send({ type: 'range', id, uid: gap.uid, epoch: gap.epoch, from: gap.from, to: gap.to });
      }
      return;
    }
    // The relay replays each member from `since` (the last offset held before its jump), holding its live fixes
    // meanwhile; fixes already stored come again and are skipped by the store. Its `watched` answers go through
    // onWatched, so a span the relay no longer holds is planned as after any catch-up.
    const since = new Map<string, FixPosition>();
    for (const gap of gaps) {
      const position = { epoch: gap.epoch, offset: gap.from - 1 };
      since.set(gap.uid, position);
      this.sinceOf.set(gap.uid, position);
    }
    this.deps.counters.gapCatchups += gaps.length;
    const maxBytes = Math.floor(this.deps.welcome.limits.maxPayload * 0.9);
    for (const members of watchBatches([...since.keys()], since, { maxBytes })) {
      this.send({ type: 'watch', members });
    }
  }

  private onWatched(message: WatchedMessage): void {
    if (message.id) this.requests.answerMember(message.id, { uid: message.uid, answer: 'ok' });
    // The member's newest fix, sent because we start (or restart) watching. On a first watch (no position held,
    // so no `since`) it is where the member is now, stored as arrived (late if it is old), not as filled in. On a
    // watch with `since` it is the end of what the live stream missed while away, so it is filled in like the
    // replay around it (which sends it again at most; the store skips the repeat).
    if (message.latest) this.deps.emitFixes([message.latest], this.sinceOf.has(message.uid));
    // Also an unsolicited `watched` (the relay catching up by itself after its Redis came back) holds the member.
    if (message.catchup.status !== 'replaying') this.whenDelivered(() => this.catchingUp.done([message.uid]));
    else this.catchingUp.answered(message.uid, true);
    if (message.catchup.status !== 'not_recoverable') return;
    const { uid, catchup, latest } = message;
    const since = this.sinceOf.get(uid);
    const gaps = this.deps.gaps;
    this.deps.logger.info(
      { uid, reason: catchup.reason },
      'relay cannot replay what this member sent while away',
    );
    if (!gaps) return;
    if (isAheadOfRelay(catchup) && since && catchup.epoch === since.epoch && catchup.latest !== undefined) {
      const moved = gaps.supersedeAbove(uid, { epoch: since.epoch, offset: catchup.latest });
      this.deps.logger.warn({ uid, moved }, 'the relay lost fixes this station holds; kept them apart');
      // From here on the relay's numbering is the one to follow.
      const position = { epoch: since.epoch, offset: catchup.latest };
      this.sinceOf.set(uid, position);
      this.held.seed(new Map([[uid, position]]));
    }
    const sinceTs = since ? gaps.tsAtPosition(uid, since) : undefined;
    const plan = planAfterNotRecoverable({ uid, since, sinceTs, catchup, latest, now: this.deps.now() });
    switch (plan.kind) {
      case 'span':
        this.backfiller?.add(plan.span);
        return;
      case 'hole':
        gaps.recordHole(plan.hole);
        return;
      case 'watch_again':
        return this.watchAgainLater(uid, since!);
      case 'nothing':
        return;
    }
  }

  /** The member is caught up once its replayed fixes reached the renderer, not when the relay finished sending. */
  private onReplayDone(uid: string): void {
    this.catchingUp.progress();
    this.whenDelivered(() => this.catchingUp.done([uid]));
  }

  /**
   * Run `then` once the fixes handed on so far are stored and delivered. Calls of one event-loop turn share one
   * flush: a catch-up of thousands of members ends with thousands of `replay_done`s, and a flush each would cut
   * the writer's batches into single-member transactions. Fixes handed on before a call are queued in the store
   * before the shared flush starts, so it covers them.
   */
  private whenDelivered(then: () => void): void {
    this.deliveredWaiters.push(then);
    if (this.deliveredWaiters.length > 1) return;
    setImmediate(() => {
      const waiters = this.deliveredWaiters.splice(0);
      const runAll = () => waiters.forEach((waiter) => waiter());
      const delivered = this.deps.delivered ?? this.deps.stored;
      delivered().then(runAll, (error: unknown) => {
        this.deps.logger.warn({ err: error }, 'fixes not confirmed delivered; ending the catch-up anyway');
        runAll();
      });
    });
  }

  /** The relay could not read Redis: the same `since` later, so the span is replayed once it can. */
  private watchAgainLater(uid: string, since: FixPosition): void {
    const count = (this.watchAgainCount.get(uid) ?? 0) + 1;
    if (count > WATCH_AGAIN_TIMES) return;
    this.watchAgainCount.set(uid, count);
    const timer = setTimeout(() => {
      this.watchAgainTimers.delete(timer);
      if (this.closed || !this.sinceOf.has(uid)) return;
      this.send({ type: 'watch', members: [{ uid, since }] });
    }, WATCH_AGAIN_MS * count);
    this.watchAgainTimers.add(timer);
  }

  private onRange(message: RangeReply): void {
    const asked = this.ranges.get(message.id);
    this.ranges.delete(message.id);
    if (message.fixes.length > 0) this.deps.emitFixes(message.fixes, true);
    if (message.complete) return;
    this.deps.logger.info({ uid: message.uid, reason: message.reason }, 'range only partly retained');
    const gaps = this.deps.gaps;
    if (!asked || !gaps || !message.reason) return;
    const last = message.fixes[message.fixes.length - 1];
    if (message.reason === 'replay_cap' && last?.offset !== undefined && this.backfiller) {
      // The relay sent the first replayMax of the range: fetch the rest by time.
      this.backfiller.add({
        uid: asked.uid,
        epoch: asked.epoch,
        afterOffset: last.offset,
        toOffset: asked.to,
        fromTs: last.ts,
        toTs: Math.max(asked.toTs, this.deps.now()),
        reason: 'replay_cap',
        createdAt: this.deps.now(),
      });
      return;
    }
    if (message.reason === 'beyond_window' || message.reason === 'epoch_changed') {
      const fromTs = gaps.tsAtPosition(asked.uid, { epoch: asked.epoch, offset: asked.from - 1 });
      const first = message.fixes[0];
      const missing = (first?.offset ?? asked.to + 1) - asked.from;
      if (fromTs === undefined || missing <= 0) return;
      gaps.recordHole({
        uid: asked.uid,
        from: fromTs,
        to: Math.max(fromTs, first?.ts ?? asked.toTs),
        reason: message.reason,
        missing,
      });
    }
  }

  private onError(message: Extract<ServerMessage, { type: 'error' }>): void {
    const { id, uid, code } = message;
    if (id !== undefined && this.requests.isMemberRequest(id)) {
      if (uid !== undefined)
        this.requests.answerMember(id, { uid, answer: 'refused', code, message: message.message });
      else this.requests.refuseAll(id, code, message.message);
      return;
    }
    if (id !== undefined) {
      this.ranges.delete(id);
      this.requests.refuseAll(id, code, message.message);
    }
    if (code !== 'bad_token') {
      this.deps.logger.warn({ code, uid, id, detail: message.message }, 'relay error');
    }
  }
}
