/**
 * The translated text for a status code the core reports (the relay connection's close, refusal or state code,
 * and the store's problem code). Codes only: the core's English `reason` never reaches the screen. A code this
 * renderer does not know yet still shows as a code, never as prose in the wrong language.
 */
import { STATUS_CODES, type StatusCode } from '../../../contract/station-api.js';
import type { MessageKey, MessageParams } from '../i18n/translate.js';

/** Codes with a text of their own; the two generic ones carry their number (close code, HTTP status) in `detail`. */
const DETAIL_CODES = {
  connection_closed: 'status.code.close',
  relay_http_error: 'status.code.http',
} as const;
export const KNOWN_STATUS_CODES = STATUS_CODES.filter(
  (code): code is Exclude<StatusCode, keyof typeof DETAIL_CODES> => !(code in DETAIL_CODES),
);

export const KNOWN_STORE_CODES = [
  'STORE_CORRUPT',
  'STORE_DISK_FULL',
  'STORE_LOCKED',
  'STORE_IO',
  'STORE_WRITE_FAILED',
  'STORE_TOO_NEW',
  'STORE_OVERFLOW',
  'STORE_CLOSED',
] as const;

export interface Text {
  key: MessageKey;
  params?: MessageParams;
}

export function statusCodeText(code: string, detail?: string): Text {
  const shown = (detail ?? '?').replace(/[^\w.-]/g, '').slice(0, 16) || '?';
  if (code === 'connection_closed') return { key: DETAIL_CODES.connection_closed, params: { code: shown } };
  if (code === 'relay_http_error') return { key: DETAIL_CODES.relay_http_error, params: { status: shown } };
  if ((KNOWN_STATUS_CODES as readonly string[]).includes(code))
    return { key: `status.code.${code}` as MessageKey };
  return { key: 'status.code.unknown', params: { code: code.replace(/[^\w.-]/g, '').slice(0, 64) } };
}

/** storeProblem is `CODE: message`; the code picks the text. */
export function storeProblemText(problem: string): Text {
  const code = /^([A-Z_]{1,40})\b/.exec(problem)?.[1] ?? '';
  if ((KNOWN_STORE_CODES as readonly string[]).includes(code))
    return { key: `status.store.${code}` as MessageKey };
  return { key: 'status.store.other', params: { code: code || '?' } };
}
