import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Locale } from '../../../contract/station-api.js';
import { translate, type Translate } from './translate.js';

interface I18n {
  locale: Locale;
  t: Translate;
}

const I18nContext = createContext<I18n>({
  locale: 'zh-CN',
  t: (key, params) => translate('zh-CN', key, params),
});

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const value = useMemo<I18n>(
    () => ({ locale, t: (key, params) => translate(locale, key, params) }),
    [locale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
