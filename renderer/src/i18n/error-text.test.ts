import { describe, expect, it } from 'vitest';
import { STATION_ERROR_CODES, StationError } from '../../../contract/errors.js';
import { LOCALES } from '../../../contract/station-api.js';
import { errorText } from './error-text.js';
import { translate, type MessageKey } from './translate.js';
import { en } from './en.js';
import { zhCN } from './zh-CN.js';

describe('errorText', () => {
  it.each(STATION_ERROR_CODES.flatMap((code) => LOCALES.map((locale) => [code, locale] as const)))(
    '%s has its own text in %s',
    (code, locale) => {
      const key = `error.code.${code}` as MessageKey;
      expect(Object.hasOwn(en, key) && Object.hasOwn(zhCN, key)).toBe(true);
      const text = errorText((k, p) => translate(locale, k, p), new StationError(code, 'detail'));
      expect(text).not.toContain('{message}');
      expect(text).not.toBe(key);
    },
  );

  it('shows an unknown code as an internal error with its message, in Chinese too', () => {
    const text = errorText((k, p) => translate('zh-CN', k, p), new Error('[weird_code] boom'));
    expect(text).toBe('调度台内部出错：boom');
  });
});
