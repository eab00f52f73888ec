/** The status the renderer sees: the relay connection's, plus what the dispatcher must know about the store. */
import type { StationStatus } from '../../../contract/station-api.js';
import type { RelayStatus } from '../relay-client/client.js';
import type { StoreStatus } from '../store/types.js';

export function composeStatus(relay: RelayStatus, store: StoreStatus): StationStatus {
  const status: StationStatus = { ...relay };
  if (store.writeErrors > 0) status.storeWriteErrors = store.writeErrors;
  if (store.problem) status.storeProblem = `${store.problem.code}: ${store.problem.message}`;
  else if (store.lastError && store.pending > 0) {
    status.storeProblem = `${store.lastError.code}: ${store.lastError.message}`;
  }
  return status;
}
