/**
 * Watching several members at once, with an outcome per member, through the core's batched `watchMany` (which
 * packs the relay's `watch` messages and paces them inside its rate limit). Sent in chunks so the page can show
 * progress; a member the relay refused comes back refused with the relay's code, and a member kept for the next
 * connection (`pending`) counts as added. Colours and labels the dispatcher chose are applied after the watch.
 */
import { errorCodeOf, errorMessageOf } from '../../../contract/errors.js';
import type { StationApi } from '../../../contract/station-api.js';

export interface WatchRequest {
  uid: string;
  label?: string;
  color: string;
}

export type WatchOutcome =
  { uid: string; ok: true } | { uid: string; ok: false; code: string; message: string };

/** Members per watchMany call: small enough for the progress bar to move, large enough to batch on the relay. */
const CHUNK = 250;

export async function watchManyAdapter(
  station: StationApi,
  requests: readonly WatchRequest[],
  onProgress?: (done: number, total: number) => void,
): Promise<WatchOutcome[]> {
  const outcomes: WatchOutcome[] = [];
  for (let start = 0; start < requests.length; start += CHUNK) {
    const chunk = requests.slice(start, start + CHUNK);
    let answers;
    try {
      answers = await station.watchMany(chunk.map((r) => r.uid));
    } catch (error) {
      const code = errorCodeOf(error);
      const message = errorMessageOf(error);
      outcomes.push(...chunk.map((r) => ({ uid: r.uid, ok: false as const, code, message })));
      onProgress?.(outcomes.length, requests.length);
      continue;
    }
    const byUid = new Map(answers.map((a) => [a.uid, a]));
    for (const request of chunk) {
      const answer = byUid.get(request.uid);
      if (answer?.result === 'refused') {
        outcomes.push({ uid: request.uid, ok: false, code: answer.code, message: answer.message });
        continue;
      }
      if (!answer) {
        outcomes.push({
          uid: request.uid,
          ok: false,
          code: 'internal',
          message: 'no answer for this member',
        });
        continue;
      }
      try {
        await station.updateMember(request.uid, {
          color: request.color,
          ...(request.label ? { label: request.label } : {}),
        });
        outcomes.push({ uid: request.uid, ok: true });
      } catch (error) {
        outcomes.push({
          uid: request.uid,
          ok: false,
          code: errorCodeOf(error),
          message: errorMessageOf(error),
        });
      }
    }
    onProgress?.(outcomes.length, requests.length);
  }
  return outcomes;
}

/** Removing several members: one outcome each, in the same shape. */
export async function unwatchManyAdapter(
  station: StationApi,
  uids: readonly string[],
): Promise<WatchOutcome[]> {
  const outcomes: WatchOutcome[] = [];
  for (const uid of uids) {
    try {
      await station.unwatch(uid);
      outcomes.push({ uid, ok: true });
    } catch (error) {
      outcomes.push({ uid, ok: false, code: errorCodeOf(error), message: errorMessageOf(error) });
    }
  }
  return outcomes;
}
