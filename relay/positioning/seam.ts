/**
 * The seam between a catch-up replay and live fixes, per member, for one station connection. Pure state, no I/O:
 * the session feeds it live fixes and the replay result, and sends exactly what it returns, in that order.
 *
 * Why buffering: the replay is read from Redis while live fixes keep arriving on the positioned channel. A live fix
 * that arrives during the read may or may not be in the replay; sending it at once would put it before older
 * replayed fixes. So live fixes of a member being replayed wait, and once the replay is in, only those after the
 * last replayed (or held) offset are sent: no gap, no duplicate, in order.
 */
import type { FixPosition, PositionedFix } from '../../protocol/fix.js';

/**
 * Where a re-catch-up after a Redis outage starts for a member: the last position sent (or reported with the
 * watch), or EPOCH_START when Redis held nothing of the member when it last answered (no history yet, or its
 * history was lost): every fix of whatever epoch Redis holds next is then one this connection has not been sent.
 */
export const EPOCH_START = 'epoch_start';
export type ResumePoint = FixPosition | typeof EPOCH_START;

type MemberState =
  | { phase: 'replaying'; buffered: PositionedFix[]; witnessed?: FixPosition }
  | { phase: 'live'; last?: FixPosition };
/** One replay of one member, as `beginReplay` began it. */
export type ReplayToken = object;

export class SeamMerger {
  private readonly members = new Map<string, MemberState>();
  /**
   * Per member, the latest position Redis reported when the watch was answered (the `watched.latest` the station
   * was sent), for members that have had no fix sent since: a re-catch-up after a Redis outage starts from it, so
   * every watched member with a history is re-checked, not only those that had a live fix.
   */
  private readonly reported = new Map<string, ResumePoint>();

  /**
   * Start buffering a member's live fixes: call when the watch arrives, before the replay read is issued, while
   * already subscribed to the positioned channel (a fix published between the read and a later subscribe would
   * be in neither). `witnessed`: a re-catch-up's start, a position Redis published, still the member's position
   * for `lastSent` while the replay is read (it may take several tries while Redis comes and goes).
   */
  beginReplay(uid: string, witnessed?: FixPosition): ReplayToken {
    const state: MemberState = { phase: 'replaying', buffered: [], ...(witnessed ? { witnessed } : {}) };
    this.members.set(uid, state);
    return state;
  }

  /** Whether the replay `beginReplay` gave `token` for is still on (not finished, forgotten or begun again). */
  isCurrentReplay(uid: string, token: ReplayToken): boolean {
    return this.members.get(uid) === token;
  }

  /**
   * A live fix from the positioned channel, for a member the station watches: returns what to send now (nothing
   * while its member is replaying).
   */
  live(fix: PositionedFix): PositionedFix[] {
    const state = this.members.get(fix.uid);
    if (state?.phase === 'replaying') {
      state.buffered.push(fix);
      return [];
    }
    if (state !== undefined && !isAfter(fix, state.last)) return [];
    this.members.set(fix.uid, { phase: 'live', last: positionOf(fix) });
    return [fix];
  }

  /**
   * A live fix the relay will not send now (Redis is away for its commands, app.ts): kept if its member is being
   * caught up, whose replay may have been read before this fix was positioned (a read resent after a reconnect
   * runs whenever the connection comes back); returns whether it was kept. A member not being caught up now is
   * caught up later, from a read that sees it.
   */
  keepIfReplaying(fix: PositionedFix): boolean {
    const state = this.members.get(fix.uid);
    if (state?.phase !== 'replaying') return false;
    state.buffered.push(fix);
    return true;
  }

  /**
   * The replay is in (possibly empty: `live` or `not_recoverable`). `held` is the position the station said it
   * has. Returns the replayed fixes to send with `replay: true` (then `replay_done`), and the buffered live fixes
   * after them to send as live; the member is live from now on.
   */
  finishReplay(
    uid: string,
    replayed: readonly PositionedFix[],
    held?: FixPosition,
  ): { replay: PositionedFix[]; live: PositionedFix[] } {
    const state = this.members.get(uid);
    const buffered = state?.phase === 'replaying' ? state.buffered : [];
    // The highest offset sent per epoch: a replay that took several tries while Redis restarted can end with
    // buffered fixes of more than one epoch, each to be sent once.
    const top = new Map<string, number>();
    if (held) top.set(held.epoch, held.offset);
    const unsent = (fixes: readonly PositionedFix[]): PositionedFix[] =>
      fixes.filter((fix) => {
        const sent = top.get(fix.epoch);
        if (sent !== undefined && fix.offset <= sent) return false;
        top.set(fix.epoch, fix.offset);
        return true;
      });
    const replay = unsent(replayed);
    const live = unsent(buffered);
    // The member's current epoch: the replayed one (Redis's at the read) unless the buffer shows a later switch;
    // without a replay, that of the last fix to arrive.
    const replayEpoch = replayed.at(-1)?.epoch;
    let epoch = replayEpoch ?? held?.epoch;
    let sawReplayEpoch = false;
    for (const fix of buffered) {
      if (replayEpoch === undefined || sawReplayEpoch) epoch = fix.epoch;
      else if (fix.epoch === replayEpoch) sawReplayEpoch = true;
    }
    const offset = epoch === undefined ? undefined : top.get(epoch);
    this.members.set(uid, {
      phase: 'live',
      ...(offset === undefined ? {} : { last: { epoch: epoch!, offset } }),
    });
    return { replay, live };
  }

  /**
   * Remember the position Redis reported for the member when its watch was answered (see `reported`): its latest
   * fix, EPOCH_START when Redis held nothing of it, undefined when Redis could not be read.
   */
  report(uid: string, position: ResumePoint | undefined): void {
    if (position === undefined) this.reported.delete(uid);
    else this.reported.set(uid, position);
  }

  /** The station stopped watching the member. */
  forget(uid: string): void {
    this.members.delete(uid);
    this.reported.delete(uid);
  }

  /**
   * The last position sent for a member (or reported with its watch), always one Redis assigned: a station's
   * `since` enters only once Redis confirmed it (`finishReplay`'s `held`). While a re-catch-up is being read, the
   * position it started from. Before positioning resumes after a reconnect, the relay retires the epoch of a member
   * whose last sent position Redis no longer has (StationServer.retireLostEpochs).
   */
  lastSent(uid: string): FixPosition | undefined {
    const state = this.members.get(uid);
    if (state?.phase === 'replaying') return state.witnessed;
    const point = state?.phase === 'live' ? (state.last ?? this.reported.get(uid)) : undefined;
    return point === EPOCH_START ? undefined : point;
  }

  /**
   * Where a re-catch-up after a Redis outage starts (`catchup(uid, from)`): it fills what was missed meanwhile
   * and, if Redis came back with fewer writes than it had, retires the epoch instead of letting reused offsets be
   * dropped as duplicates. Undefined while the member is being caught up already, or when its watch could not be
   * answered (the station was told `unavailable` and watches again with its own `since`).
   */
  resumeFrom(uid: string): ResumePoint | undefined {
    const state = this.members.get(uid);
    if (state?.phase !== 'live') return undefined;
    return state.last ?? this.reported.get(uid);
  }

  isReplaying(uid: string): boolean {
    return this.members.get(uid)?.phase === 'replaying';
  }
}

function positionOf(fix: PositionedFix): FixPosition {
  return { epoch: fix.epoch, offset: fix.offset };
}

/** Whether `fix` comes after `last`. A new epoch always does: the old one's history is gone. */
function isAfter(fix: PositionedFix, last: FixPosition | undefined): boolean {
  return last === undefined || fix.epoch !== last.epoch || fix.offset > last.offset;
}
