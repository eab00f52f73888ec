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
import type { FixPosition, PositionedFix } from '../../protocol/fix.js';
import { positionOf } from '../../protocol/messages.js';
import type { Catchup, WatchMessage } from '../../protocol/messages.js';
import type { CatchupResult } from '../positioning/positioning.js';
import { PositioningError } from '../positioning/positioning.js';
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
  await Promise.all(accepted.map(({ uid, since }) => catchUpMember(ctx, station, uid, since, msg.id)));
}

/**
 * Re-run the catch-up of every member the station watches from what it was last sent or reported (after a Redis
 * outage): those Redis came back without are told `epoch_changed`, whether or not a live fix was sent meanwhile.
 */
export async function recatchupStation(ctx: HandlerContext, station: StationConnection): Promise<void> {
  await Promise.all(
    [...station.watched].map((uid) => {
      const since = station.seam.lastSent(uid);
      // Redis had no history for the member at watch time and sent none since: nothing to continue from or lose.
      return since === undefined ? undefined : catchUpMember(ctx, station, uid, since, undefined, true);
    }),
  );
}

/**
 * `witnessed`: `since` is the relay's own record of a position Redis published (a re-catch-up), not a station's
 * claim; only then may a position Redis no longer has retire the epoch.
 */
export async function catchUpMember(
  ctx: HandlerContext,
  station: StationConnection,
  uid: string,
  since: FixPosition | undefined,
  id?: string,
  witnessed = false,
): Promise<void> {
  station.seam.beginReplay(uid);
  let result = await readCatchup(ctx, uid, since);
  if (witnessed && since !== undefined && result.catchup.status === 'not_recoverable') {
    if (result.catchup.reason === 'ahead_of_redis') {
      // Retired here, or by another relay between the read and the retire: read again to tell which.
      result = (await retired(ctx, uid, since))
        ? { catchup: { status: 'not_recoverable', reason: 'epoch_changed' }, fixes: [], latest: null }
        : await readCatchup(ctx, uid, since);
    }
  }
  if (!station.watched.has(uid)) return; // unwatched meanwhile (unwatch forgot the seam)
  // Redis's latest, for a later re-catch-up of a member that gets no live fix meanwhile.
  station.seam.report(uid, result.latest ? positionOf(result.latest) : undefined);
  station.send({
    type: 'watched',
    ...(id ? { id } : {}),
    uid,
    latest: result.latest,
    catchup: result.catchup,
  });
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
): Promise<CatchupResult> {
  try {
    return await ctx.positioning!.catchup(uid, since);
  } catch (error) {
    if (!(error instanceof PositioningError)) {
      ctx.logger.error({ err: error, uid }, 'catch-up read failed');
    }
    // Redis could not be read: say so (the station may watch again later) rather than pretend it is up to date.
    const catchup: Catchup =
      since === undefined ? { status: 'live' } : { status: 'not_recoverable', reason: 'unavailable' };
    return { catchup, fixes: [], latest: null };
  }
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
