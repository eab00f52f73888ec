/**
 * Watching several members at once, with an outcome per member. The station API has only `watch(uid)` today;
 * a batched `watchMany(uids)` with per-uid outcomes is coming from the core. Until it lands this adapter calls
 * `watch` one member at a time (a few in flight) and turns each failure into that member's outcome, so the UI is
 * already written against the batched shape: swapping the body for `station.watchMany` changes nothing above it.
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

const IN_FLIGHT = 4;

export async function watchManyAdapter(
  station: StationApi,
  requests: readonly WatchRequest[],
  onProgress?: (done: number, total: number) => void,
): Promise<WatchOutcome[]> {
  const outcomes: WatchOutcome[] = new Array<WatchOutcome>(requests.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const i = next++;
      const r = requests[i] as WatchRequest;
      try {
        await station.watch(r.uid, { color: r.color, ...(r.label ? { label: r.label } : {}) });
        outcomes[i] = { uid: r.uid, ok: true };
      } catch (error) {
        outcomes[i] = { uid: r.uid, ok: false, code: errorCodeOf(error), message: errorMessageOf(error) };
      }
      onProgress?.(++done, requests.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, requests.length) }, worker));
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
