/**
 * Requests to the relay and their answers, matched by request id: single-reply requests (history pages) and
 * per-member requests (watch, unwatch), where the relay answers each member on its own (`watched`/`unwatched`, or an
 * `error` naming the member) or the whole message at once (an `error` with the id and no member).
 */

export class RelayRequestError extends Error {
  constructor(
    /** The relay's error code, or `disconnected` / `timeout` for a request that got no answer. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RelayRequestError';
  }
}

export type MemberAnswer =
  | { uid: string; answer: 'ok' }
  | { uid: string; answer: 'refused'; code: string; message: string }
  /** No answer came: the connection ended, or the relay stayed silent past the timeout. */
  | { uid: string; answer: 'unanswered' };

interface MemberRequest {
  uids: readonly string[];
  answers: Map<string, MemberAnswer>;
  resolve(answers: MemberAnswer[]): void;
  timer?: NodeJS.Timeout;
}

interface SingleRequest {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

export class PendingRequests {
  private seq = 0;
  private closed = false;
  private readonly members = new Map<string, MemberRequest>();
  private readonly singles = new Map<string, SingleRequest>();

  nextId(prefix: string): string {
    return `${prefix}${++this.seq}`;
  }

  get size(): number {
    return this.members.size + this.singles.size;
  }

  /** A request answered per member; resolves with one answer per uid, in the order given. */
  openMembers(id: string, uids: readonly string[]): Promise<MemberAnswer[]> {
    if (this.closed) return Promise.resolve(uids.map((uid) => ({ uid, answer: 'unanswered' as const })));
    return new Promise((resolve) => {
      this.members.set(id, { uids, answers: new Map(), resolve });
    });
  }

  openSingle<T>(id: string): Promise<T> {
    if (this.closed) return Promise.reject(new RelayRequestError('disconnected', 'the connection closed'));
    return new Promise<T>((resolve, reject) => {
      this.singles.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /** The request left the station: from now on, silence longer than `timeoutMs` counts as no answer. */
  armTimeout(id: string, timeoutMs: number): void {
    const request = this.members.get(id) ?? this.singles.get(id);
    if (!request || request.timer) return;
    request.timer = setTimeout(() => this.giveUp(id, 'timeout'), timeoutMs);
    request.timer.unref?.();
  }

  /** Whether `id` names an open per-member request. */
  isMemberRequest(id: string): boolean {
    return this.members.has(id);
  }

  answerMember(id: string, answer: MemberAnswer): void {
    const request = this.members.get(id);
    if (!request || !request.uids.includes(answer.uid) || request.answers.has(answer.uid)) return;
    request.answers.set(answer.uid, answer);
    if (request.answers.size === request.uids.length) this.finishMembers(id, request);
  }

  /** The relay answered the whole message (an `error` with the id and no member). */
  refuseAll(id: string, code: string, message: string): void {
    const request = this.members.get(id);
    if (request) {
      for (const uid of request.uids) {
        if (!request.answers.has(uid)) request.answers.set(uid, { uid, answer: 'refused', code, message });
      }
      this.finishMembers(id, request);
      return;
    }
    this.reject(id, new RelayRequestError(code, message));
  }

  resolve(id: string, value: unknown): boolean {
    const request = this.singles.get(id);
    if (!request) return false;
    this.singles.delete(id);
    clearTimeout(request.timer);
    request.resolve(value);
    return true;
  }

  reject(id: string, error: Error): boolean {
    const request = this.singles.get(id);
    if (!request) return false;
    this.singles.delete(id);
    clearTimeout(request.timer);
    request.reject(error);
    return true;
  }

  /** The connection is gone: every open request ends without an answer. */
  closeAll(): void {
    this.closed = true;
    for (const id of [...this.members.keys(), ...this.singles.keys()]) this.giveUp(id, 'disconnected');
  }

  private giveUp(id: string, code: 'timeout' | 'disconnected'): void {
    const request = this.members.get(id);
    if (request) {
      for (const uid of request.uids) {
        if (!request.answers.has(uid)) request.answers.set(uid, { uid, answer: 'unanswered' });
      }
      this.finishMembers(id, request);
      return;
    }
    this.reject(
      id,
      new RelayRequestError(
        code,
        code === 'timeout' ? 'the relay did not answer in time' : 'the connection closed',
      ),
    );
  }

  private finishMembers(id: string, request: MemberRequest): void {
    this.members.delete(id);
    clearTimeout(request.timer);
    request.resolve(request.uids.map((uid) => request.answers.get(uid)!));
  }
}
