/**
 * What the dispatcher reads for a failed station call: the text for the error's stable code in the current
 * language, with the station's own message only as a detail. Never the raw English message alone.
 */
import { errorCodeOf, errorMessageOf, isStationErrorCode } from '../../../contract/errors.js';
import type { MessageKey, Translate } from './translate.js';

export function errorText(t: Translate, error: unknown): string {
  const code = errorCodeOf(error);
  const message = errorMessageOf(error);
  const key = `error.code.${isStationErrorCode(code) ? code : 'internal'}` as MessageKey;
  return t(key, { message });
}
