/**
 * What the uploader does with the relay's answer to a batch (protocol/ingest.ts defines the answers):
 * - `done`: the batch is settled (accepted, duplicates, or refused for good): remove it from the queue.
 * - `retry`: a transient failure (no network, 429, 5xx): keep it and resend after a backoff.
 * - `reauth`: the token is missing, expired or wrong: keep the batch, stop until the token changes.
 * - `split`: the batch is too long or too large for this relay: resend it in smaller pieces.
 */
export type Outcome = 'done' | 'retry' | 'reauth' | 'split';

/** `status` 0 means the request never got an answer (wx.request `fail`). */
export function outcomeOf(status: number, code?: string): Outcome {
  if (status === 200 || status === 422) return 'done';
  if (status === 401) return 'reauth';
  // `forbidden` means a fix names another member: resending cannot help. Other 403s are the token's role.
  if (status === 403) return code === 'forbidden' ? 'done' : 'reauth';
  if (status === 413) return 'split';
  // A body the relay cannot read will never be accepted: resending it forever would block every fix behind it.
  if (status === 400 || status === 415) return 'done';
  return 'retry';
}
