/**
 * Catch-up with positioning: a watch with `since` gets the fixes it missed, then the live ones, with no
 * gap and no duplicate at the seam; or `not_recoverable` with the reason. Never a silent partial replay.
 *
 * Order of one member's catch-up on one connection:
 * 1. the fan-out already delivers the member's live fixes to the station (acceptWatch registered it), and the
 *    station's seam buffers them (`beginReplay`) before the Redis read is issued, so none falls between the read
 *    and the subscription;
 * 2. `positioning.catchup` reads the verdict, the missed fixes and the latest fix in one consistent snapshot;
 * 3. `watched { latest, catchup }`, then the replayed fixes with `replay: true` (paced on the socket backlog, live
 *    fixes of the member held meanwhile), then `replay_done`, then the buffered live fixes after the last replayed
 *    offset, then the held ones.
 */
import { backoffDelay } from '../../protocol/backoff.js';
import type { FixPosition, PositionedFix } from '../../protocol/fix.js';
import { positionOf } from '../../protocol/messages.js';
import type { Catchup, NotRecoverableReason, WatchMessage } from '../../protocol/messages.js';
import type { CatchupResult } from '../positioning/positioning.js';
import { PositioningError } from '../positioning/positioning.js';
import { EPOCH_START, type ResumePoint } from '../positioning/seam.js';
import { CatchupSlots } from './catchup-slots.js';
import type { StationConnection } from './connection.js';
import type { HandlerContext } from './handlers.js';
import { acceptWatch } from './handlers.js';
import { encodeTextFrame } from './ws-frame.js';

/** Replayed frames written between two looks at the socket backlog. */
const REPLAY_CHUNK = 256;
/** How often a paused replay looks at the backlog again. */
const REPLAY_PAUSE_MS = 10;

/** `watch` with positioning on. */
export async function onPositionedWatch(
  ctx: HandlerContext,
  station: StationConnection,
  msg: WatchMessage,
): Promise<void> {
  const accepted = acceptWatch(ctx, station, msg);
  const ids = msg.id ? [msg.id] : [];
  await Promise.all(accepted.map(({ uid, since }) => inTurn(ctx, station, uid, { since, ids })));
}

/** A catch-up a station asked for with `watch`: from its `since` (a claim), one `watched` per request id. */
interface WatchAsk {
  since: FixPosition | undefined;
  ids: readonly string[];
}

/** A member's turn on one connection: what was asked while its catch-up runs, to run once after it. */
interface Turn {
  /** A re-catch-up after an outage, from the seam's position when its turn comes (one Redis published). */
  recatchup: boolean;
  /** The station's watches asked meanwhile, merged. */
  watch?: WatchAsk;
}

/** Per connection, the members whose catch-up runs now. */
const turns = new WeakMap<StationConnection, Map<string, Turn>>();

/**
 * One catch-up per member at a time on a connection. Each reads its whole replay (up to replayMax fixes) before it
 * is paced out, so a station repeating a watch with `since` (1,000 members, 20 messages a second) had the relay read
 * and hold the same replays any number of times over; two at once also reset each other's seam buffer. What is asked
 * meanwhile runs once after: the station's watches merged from the earliest position asked, each request id still
 * answered; a re-catch-up first, from where the seam stands then, never merged into a watch: a station's `since` is a
 * claim, and only a position the relay had from Redis may retire an epoch Redis lost writes of.
 */
async function inTurn(
  ctx: HandlerContext,
  station: StationConnection,
  uid: string,
  ask: WatchAsk | 'recatchup',
): Promise<void> {
  let members = turns.get(station);
  if (!members) turns.set(station, (members = new Map()));
  const running = members.get(uid);
  if (running) {
    if (ask === 'recatchup') running.recatchup = true;
    else running.watch = running.watch ? mergeAsks(running.watch, ask) : ask;
    return;
  }
  const mine: Turn = { recatchup: false };
  members.set(uid, mine);
  try {
    let next: WatchAsk | 'recatchup' | undefined = ask;
    while (next && station.watched.has(uid) && !station.closing) {
      if (next === 'recatchup') {
        const from = station.seam.resumeFrom(uid);
        // Its own watch was answered `unavailable` (the station watches again itself): nothing to continue from.
        if (from !== undefined) await recatchUpMember(ctx, station, uid, from);
      } else {
        await catchUpMember(ctx, station, uid, next.since, next.ids);
      }
      next = mine.recatchup ? 'recatchup' : mine.watch;
      if (next === 'recatchup') mine.recatchup = false;
      else mine.watch = undefined;
    }
  } finally {
    members.delete(uid);
  }
}

/** Two watches asked while a catch-up runs: the earlier position covers both (another epoch: the later one's). */
function mergeAsks(a: WatchAsk, b: WatchAsk): WatchAsk {
  const ids = [...new Set([...a.ids, ...b.ids])];
  if (b.since === undefined) return { since: a.since, ids };
  if (a.since === undefined) return { since: b.since, ids };
  const earlier = a.since.epoch === b.since.epoch && a.since.offset <= b.since.offset ? a : b;
  return { since: earlier.since, ids };
}

/**
 * Re-run the catch-up of every member the station watches from where it was left (after a Redis outage): those Redis
 * came back without are told `epoch_changed`, whether or not a live fix was sent meanwhile.
 *
 * While Redis is away for commands the relay drops live fixes (app.ts), so this is what delivers every fix positioned
 * meanwhile: it runs for members with no position yet (from the start of their epoch), and a read that fails is tried
 * again instead of given up, so no member is left behind with a hole it was never told about.
 */
export async function recatchupStation(ctx: HandlerContext, station: StationConnection): Promise<void> {
  const waiting = retrying.get(station);
  await Promise.all(
    [...station.watched].map((uid) => {
      const retry = waiting?.get(uid);
      // A re-catch-up waiting to read again: now, while Redis is back (its backoff may outlast this window).
      if (retry) return retry();
      // Being caught up already (the station's watch, or a re-catch-up past its read): after it, in turn.
      return inTurn(ctx, station, uid, 'recatchup');
    }),
  );
}

/** The catch-up of a station's `watch` (its own `since`, which is a claim, not evidence of what Redis had). */
async function catchUpMember(
  ctx: HandlerContext,
  station: StationConnection,
  uid: string,
  since: FixPosition | undefined,
  ids: readonly string[] = [],
): Promise<void> {
  station.seam.beginReplay(uid);
  const slots = slotsOf(ctx, station);
  await slots.acquire();
  try {
    if (station.closing) return;
    const result = await readCatchup(ctx, uid, since);
    await answerCatchup(ctx, station, uid, since, result, ids);
  } finally {
    slots.release();
  }
}

/** Per connection, the slots its catch-ups take turns on while they hold a replay. */
const slotsByStation = new WeakMap<StationConnection, CatchupSlots>();

function slotsOf(ctx: HandlerContext, station: StationConnection): CatchupSlots {
  let slots = slotsByStation.get(station);
  if (!slots) slotsByStation.set(station, (slots = new CatchupSlots(ctx.catchupConcurrency, ctx.metrics)));
  return slots;
}

/** Between two tries of a re-catch-up's read that Redis did not answer (the project's one backoff). */
const REREAD_BACKOFF = { baseMs: 50, maxMs: 2000 };
/** A re-catch-up's read Redis did not answer: to be tried again. */
const REREAD = Symbol('reread');
/** Per station, the members whose re-catch-up waits to read again, and how to wake it. */
const retrying = new WeakMap<StationConnection, Map<string, () => void>>();

/** Resolves after `delayMs`, or earlier when the next re-catch-up of the station wakes it. */
function retryLater(station: StationConnection, uid: string, delayMs: number): Promise<void> {
  let waiting = retrying.get(station);
  if (!waiting) retrying.set(station, (waiting = new Map()));
  const members = waiting;
  return new Promise<void>((resolve) => {
    const wake = () => {
      station.unschedule(timer);
      if (members.get(uid) === wake) members.delete(uid);
      resolve();
    };
    const timer = station.schedule(delayMs, wake);
    members.set(uid, wake);
  });
}

/**
 * The re-catch-up of one member from `from` (the seam's `resumeFrom`). A position there is the relay's own record of
 * one Redis published: only then may a position Redis no longer has retire the epoch. The read is tried until it is
 * answered, the member is unwatched or the station leaves; meanwhile the member's live fixes wait in the seam and
 * `from` stays its position (a failed read must not lose it: the next re-catch-up would have nothing to start from).
 */
async function recatchUpMember(
  ctx: HandlerContext,
  station: StationConnection,
  uid: string,
  from: ResumePoint,
): Promise<void> {
  const replay = station.seam.beginReplay(uid, from === EPOCH_START ? undefined : from);
  const slots = slotsOf(ctx, station);
  let start = from;
  for (let attempt = 0; ; attempt++) {
    await slots.acquire();
    try {
      // Unwatched meanwhile (a watch since is a turn of its own, after this one), or the station left.
      if (station.closing || !station.seam.isCurrentReplay(uid, replay)) return;
      let read: Awaited<ReturnType<typeof readAfterOutage>> | typeof REREAD;
      try {
        read = await readAfterOutage(ctx, station, uid, start, (restart) => (start = restart));
      } catch (error) {
        if (!(error instanceof PositioningError) || error.code !== 'unavailable') {
          // Not Redis being away: trying again would not help. Say so, as a watch's catch-up would.
          ctx.logger.error({ err: error, uid }, 're-catch-up read failed');
          await answerCatchup(ctx, station, uid, undefined, unreadCatchup(start));
          return;
        }
        read = REREAD;
      }
      if (read !== REREAD) {
        if (read) await answerCatchup(ctx, station, uid, read.since, read.result);
        return;
      }
    } finally {
      slots.release();
    }
    // Its slot is free meanwhile: the other catch-ups of the connection need not wait for Redis behind this one.
    await retryLater(station, uid, backoffDelay(attempt, REREAD_BACKOFF));
  }
}

/**
 * One try at a re-catch-up's read; throws when Redis did not answer. `restarted` moves the start when the member's
 * history restarted (told to the station here, once): the new epoch is then replayed from its first fix, since this
 * connection may never have had those live (published while its subscriber was away, or dropped while its command
 * connection was). Undefined when the member was unwatched meanwhile.
 */
async function readAfterOutage(
  ctx: HandlerContext,
  station: StationConnection,
  uid: string,
  from: ResumePoint,
  restarted: (start: FixPosition) => void,
): Promise<{ since: FixPosition | undefined; result: CatchupResult } | undefined> {
  const positioning = ctx.positioning!;
  if (from === EPOCH_START) {
    const now = await positioning.catchup(uid, undefined);
    if (now.latest === null) return { since: undefined, result: now };
    const start = { epoch: now.latest.epoch, offset: 0 };
    return { since: start, result: await positioning.catchup(uid, start) };
  }
  let result = await positioning.catchup(uid, from);
  if (isNotRecoverable(result, 'ahead_of_redis')) {
    // Retired here, or by another relay between the read and the retire: read again to tell which.
    result = (await retired(ctx, uid, from))
      ? { catchup: { status: 'not_recoverable', reason: 'epoch_changed' }, fixes: [], latest: null }
      : await positioning.catchup(uid, from);
  }
  if (isNotRecoverable(result, 'epoch_changed') && result.latest && result.latest.epoch !== from.epoch) {
    if (!station.watched.has(uid)) return undefined;
    station.send({ type: 'watched', uid, latest: result.latest, catchup: result.catchup });
    const start = { epoch: result.latest.epoch, offset: 0 };
    restarted(start);
    return { since: start, result: await positioning.catchup(uid, start) };
  }
  return { since: from, result };
}

function isNotRecoverable(result: CatchupResult, reason: NotRecoverableReason): boolean {
  return result.catchup.status === 'not_recoverable' && result.catchup.reason === reason;
}

/**
 * Send a catch-up's answer: `watched` with the verdict, the replay, `replay_done`, then the live fixes buffered
 * meanwhile. `since` is where the replay starts.
 */
async function answerCatchup(
  ctx: HandlerContext,
  station: StationConnection,
  uid: string,
  since: FixPosition | undefined,
  result: CatchupResult & { unread?: true },
  ids: readonly string[] = [],
): Promise<void> {
  if (!station.watched.has(uid)) return; // unwatched meanwhile (unwatch forgot the seam)
  // Redis's latest, for a later re-catch-up of a member that gets no live fix meanwhile; when Redis held nothing of
  // the member, that re-catch-up starts from whatever epoch it holds then. Unknown when Redis could not be read.
  station.seam.report(
    uid,
    result.latest ? positionOf(result.latest) : result.unread ? undefined : EPOCH_START,
  );
  // Watches merged while another catch-up of the member ran: each request id gets its answer.
  for (const id of ids.length > 0 ? ids : [undefined]) {
    station.send({
      type: 'watched',
      ...(id ? { id } : {}),
      uid,
      latest: result.latest,
      catchup: result.catchup,
    });
  }
  // A `since` Redis did not confirm (not_recoverable) is not a position this connection continues from: live fixes
  // at or below it must still flow, and a later re-catch-up must not present it as the relay's own.
  const confirmed = result.catchup.status === 'not_recoverable' ? undefined : since;
  const { replay, live } = station.seam.finishReplay(uid, result.fixes, confirmed);
  station.hold(uid);
  const sent = await writeReplay(ctx, station, uid, replay);
  if (!station.watched.has(uid)) return; // unwatched during the replay (unwatch dropped what was held)
  if (result.catchup.status === 'replaying') station.send({ type: 'replay_done', uid, count: sent });
  station.release(uid, live.map(liveFrame));
}

async function retired(ctx: HandlerContext, uid: string, witnessed: FixPosition): Promise<boolean> {
  try {
    return await ctx.positioning!.retireLostWrites(uid, witnessed);
  } catch (error) {
    ctx.logger.warn({ err: error, uid }, 'could not retire an epoch Redis lost writes of');
    return false;
  }
}

async function readCatchup(
  ctx: HandlerContext,
  uid: string,
  since: FixPosition | undefined,
): Promise<CatchupResult & { unread?: true }> {
  try {
    return await ctx.positioning!.catchup(uid, since);
  } catch (error) {
    if (!(error instanceof PositioningError)) {
      ctx.logger.error({ err: error, uid }, 'catch-up read failed');
    }
    return unreadCatchup(since);
  }
}

/** Redis could not be read: say so (the station may watch again later) rather than pretend it is up to date. */
function unreadCatchup(since: ResumePoint | undefined): CatchupResult & { unread: true } {
  const catchup: Catchup =
    since === undefined ? { status: 'live' } : { status: 'not_recoverable', reason: 'unavailable' };
  return { catchup, fixes: [], latest: null, unread: true };
}

/**
 * Write the replay in order, pausing before each chunk while the station's backlog is above the pace limit (the
 * member's live fixes are held meanwhile, up to the station's per-member hold limit). Returns how many were written.
 */
async function writeReplay(
  ctx: HandlerContext,
  station: StationConnection,
  uid: string,
  fixes: readonly PositionedFix[],
): Promise<number> {
  let sent = 0;
  for (const fix of fixes) {
    // Before the first chunk too: a station watching thousands of members with `since` (back from a reconnect or a
    // stall) gets all their replays at once, each shorter than a chunk, and together they passed the hard backlog
    // limit: the station was closed (4008), reconnected, and caught up into the same close again.
    if (sent % REPLAY_CHUNK === 0) {
      while (station.backlogBytes() > ctx.replayPaceBytes && !station.closing) {
        await new Promise((resolve) => setTimeout(resolve, REPLAY_PAUSE_MS));
      }
      if (!station.watched.has(uid)) break; // unwatched during the replay: the rest is not wanted
    }
    if (!station.writeReplay(replayFrame(fix))) break;
    sent++;
  }
  return sent;
}

function replayFrame(fix: PositionedFix): Buffer {
  return encodeTextFrame(`{"type":"fix","fix":${JSON.stringify(fix)},"replay":true}`);
}

function liveFrame(fix: PositionedFix): Buffer {
  return encodeTextFrame(`{"type":"fix","fix":${JSON.stringify(fix)}}`);
}
