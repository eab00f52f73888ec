/**
 * The translated text for a status code the core reports (the relay connection's close, refusal or state code,
 * and the store's problem code). Codes only: the core's English `reason` never reaches the screen. A code this
 * renderer does not know yet still shows as a code, never as prose in the wrong language.
 */
import type { MessageKey, MessageParams } from '../i18n/translate.js';

export const KNOWN_STATUS_CODES = [
  'not_started',
  'stopped',
  'restarting',
  'token_missing',
  'bad_relay_url',
  'welcome',
  'token_refreshed',
  'token_expiring',
  'bad_token',
  'relay_unreachable',
  'heartbeat_timeout',
  'normal',
  'policy_violation',
  'message_too_big',
  'internal_error',
  'service_restart',
  'token_expired',
  'slow_consumer',
  'token_malformed',
  'token_bad_signature',
  'token_wrong_role',
  'forbidden',
  'host_unreachable',
  'unauthorized',
] as const;

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

export function statusCodeText(code: string): Text {
  if ((KNOWN_STATUS_CODES as readonly string[]).includes(code))
    return { key: `status.code.${code}` as MessageKey };
  const http = /^http_(\d{3})$/.exec(code);
  if (http) return { key: 'status.code.http', params: { status: http[1] as string } };
  const close = /^close_(\d{1,5})$/.exec(code);
  if (close) return { key: 'status.code.close', params: { code: close[1] as string } };
  return { key: 'status.code.unknown', params: { code: code.replace(/[^\w.-]/g, '').slice(0, 64) } };
}

/** storeProblem is `CODE: message`; the code picks the text. */
export function storeProblemText(problem: string): Text {
  const code = /^([A-Z_]{1,40})\b/.exec(problem)?.[1] ?? '';
  if ((KNOWN_STORE_CODES as readonly string[]).includes(code))
    return { key: `status.store.${code}` as MessageKey };
  return { key: 'status.store.other', params: { code: code || '?' } };
}
