/**
 * Which members the relay is still catching up on this session: from the moment they are (re)watched until their
 * `watched` answer says nothing is replayed, or until the replay it announced ended with `replay_done` and the
 * replayed fixes are handed on. The renderer holds live/stale/offline judgement while any is left: a member whose
 * missed fixes are still on their way must not be reported offline.
 *
 * A relay that never answers must not hold judgement forever. The set is given up after STALL_MS without any sign of
 * the catch-up (an answer, a replayed fix, a `replay_done`): the relay answers a watch within the request timeout or
 * the watch counts as unanswered, and a replay under way sends fixes back to back, so that long a silence means it
 * is not coming. However busy, a catch-up round is given up after MAX_MS: 5,000 members × 10,000 replayed fixes
 * each (the relay's limits) is the worst case, and a dispatcher cannot be left without offline alerts longer.
 */
import type { Logger } from 'pino';

export const CATCH_UP_STALL_MS = 30_000;
export const CATCH_UP_MAX_MS = 10 * 60_000;
/** Count changes between none and some go out at once; the ones in between at most this often. */
const REPORT_EVERY_MS = 250;

export interface CatchingUpOptions {
  /** The number of members still being caught up, whenever it changes (coalesced, see REPORT_EVERY_MS). */
  onChange(count: number): void;
  logger: Logger;
  now(): number;
  stallMs?: number;
  maxMs?: number;
}

export class CatchingUp {
  private readonly members = new Set<string>();
  private startedAt = 0;
  private lastSignAt = 0;
  private giveUpTimer: NodeJS.Timeout | undefined;
  private reportTimer: NodeJS.Timeout | undefined;
  private reported = 0;
  private closed = false;

  constructor(private readonly options: CatchingUpOptions) {}

  get count(): number {
    return this.members.size;
  }

  /** These members are being (re)watched: caught up until their answer says otherwise. */
  expect(uids: Iterable<string>): void {
    for (const uid of uids) this.add(uid);
    this.changed();
  }

  /** The relay's `watched` for a member: `replaying` keeps it until `replay_done`, anything else ends it. */
  answered(uid: string, replaying: boolean): void {
    if (replaying) this.add(uid);
    else this.members.delete(uid);
    this.changed();
  }

  /** A replayed fix: the catch-up is making progress. */
  progress(): void {
    if (this.members.size > 0) this.lastSignAt = this.options.now();
  }

  /** The member is caught up (its replay is done and handed on), unwatched, refused or never answered. */
  done(uids: Iterable<string>): void {
    for (const uid of uids) this.members.delete(uid);
    this.changed();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.giveUpTimer);
    clearTimeout(this.reportTimer);
    this.members.clear();
  }

  private add(uid: string): void {
    if (this.closed) return;
    const now = this.options.now();
    if (this.members.size === 0) this.startedAt = now;
    this.members.add(uid);
  }

  private changed(): void {
    if (this.closed) return;
    if (this.members.size > 0) this.lastSignAt = this.options.now();
    this.armGiveUp();
    const count = this.members.size;
    if (count === this.reported) return;
    if (count === 0 || this.reported === 0) return this.report();
    this.reportTimer ??= setTimeout(() => this.report(), REPORT_EVERY_MS);
  }

  private report(): void {
    clearTimeout(this.reportTimer);
    this.reportTimer = undefined;
    if (this.closed || this.members.size === this.reported) return;
    this.reported = this.members.size;
    this.options.onChange(this.reported);
  }

  private armGiveUp(): void {
    if (this.members.size === 0) {
      clearTimeout(this.giveUpTimer);
      this.giveUpTimer = undefined;
      return;
    }
    // One timer, re-armed lazily: it fires at the earlier of the two bounds and checks them again.
    this.giveUpTimer ??= setTimeout(() => this.checkGiveUp(), this.untilGiveUp());
  }

  private untilGiveUp(): number {
    const stallMs = this.options.stallMs ?? CATCH_UP_STALL_MS;
    const maxMs = this.options.maxMs ?? CATCH_UP_MAX_MS;
    const now = this.options.now();
    return Math.max(0, Math.min(this.lastSignAt + stallMs, this.startedAt + maxMs) - now);
  }

  private checkGiveUp(): void {
    this.giveUpTimer = undefined;
    if (this.closed || this.members.size === 0) return;
    const wait = this.untilGiveUp();
    if (wait > 0) {
      this.giveUpTimer = setTimeout(() => this.checkGiveUp(), wait);
      return;
    }
    this.options.logger.warn(
      { members: this.members.size, sample: [...this.members].slice(0, 5) },
      'catch-up not finished in time; judging members again without it',
    );
    this.members.clear();
    this.report();
  }
}
