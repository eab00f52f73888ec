/**
 * What the status bar says, decided from the station's status: a list of lines with a severity, each a message
 * key and its parameters. Pure, table-tested; StatusBar.tsx only renders the list.
 */
import type { StationStatus } from '../../../contract/station-api.js';
import type { MessageKey, MessageParams } from '../i18n/translate.js';
import { statusCodeText, storeProblemText } from './status-code-text.js';

export type Severity = 'ok' | 'info' | 'warn' | 'error';

export interface StatusLine {
  key: MessageKey;
  params?: MessageParams;
  severity: Severity;
}

const STATE_SEVERITY: Record<StationStatus['state'], Severity> = {
  connected: 'ok',
  connecting: 'info',
  reconnecting: 'warn',
  token_expiring: 'warn',
  offline: 'error',
  unauthorized: 'error',
};

/**
 * When a token close to expiry is worth a warning while connected: in its last hour, or in the last 10 % of its
 * life if that is shorter. An hour is time enough to get a new token from whoever issues them; the 10 % keeps a
 * short-lived token (8 h for operators, 12 h in the demo, minutes in tests) from warning for much of its life,
 * which a warning that is always on would teach the dispatcher to ignore. The life is counted from when the
 * station received the token (`tokenReceivedAt`), a lower bound of its real life; unknown, the hour alone counts.
 */
export const TOKEN_WARNING_MAX_MS = 3_600_000;
export const TOKEN_WARNING_LIFE_SHARE = 0.1;

export function tokenWarningDue(
  expiresAt: number | undefined,
  receivedAt: number | undefined,
  now: number,
): boolean {
  if (expiresAt === undefined) return false;
  const life = receivedAt !== undefined && receivedAt < expiresAt ? expiresAt - receivedAt : undefined;
  const window =
    life === undefined
      ? TOKEN_WARNING_MAX_MS
      : Math.min(TOKEN_WARNING_MAX_MS, life * TOKEN_WARNING_LIFE_SHARE);
  return expiresAt - now < window;
}

export function statusLines(
  status: StationStatus,
  now: number,
  formatTime: (ms: number) => string,
): StatusLine[] {
  const lines: StatusLine[] = [{ key: `status.${status.state}`, severity: STATE_SEVERITY[status.state] }];
  // The code, translated; the core's `reason` is English prose for logs and never shown.
  if (status.code && status.state !== 'connected') {
    lines.push({ ...statusCodeText(status.code, status.detail), severity: 'info' });
  }
  if ((status.state === 'reconnecting' || status.state === 'offline') && status.nextRetryAt !== undefined) {
    const seconds = Math.max(0, Math.ceil((status.nextRetryAt - now) / 1000));
    lines.push({
      key: 'status.retryAt',
      params: { time: formatTime(status.nextRetryAt), seconds },
      severity: 'info',
    });
  }
  // Spans the relay could not replay at once, fetched from its history: "backfilling 42: 3,200 of 12,000".
  for (const span of status.backfill ?? []) {
    lines.push({
      key: 'status.backfill',
      params: { uid: span.uid, done: span.done.toLocaleString(), total: span.total.toLocaleString() },
      severity: 'info',
    });
  }
  if (status.relayDegraded) lines.push({ key: 'status.relayDegraded', severity: 'warn' });
  if (status.storeWriteErrors) {
    lines.push({ key: 'status.storeErrors', params: { count: status.storeWriteErrors }, severity: 'error' });
  }
  if (status.storeProblem) {
    lines.push({ ...storeProblemText(status.storeProblem), severity: 'error' });
  }
  if (
    status.tokenExpiresAt !== undefined &&
    (status.state === 'token_expiring' || tokenWarningDue(status.tokenExpiresAt, status.tokenReceivedAt, now))
  ) {
    lines.push({
      key: 'status.tokenExpires',
      params: { time: formatTime(status.tokenExpiresAt) },
      severity: 'warn',
    });
  }
  return lines;
}
