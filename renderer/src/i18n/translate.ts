/**
 * Looking up and filling UI strings. Pure: the React side (I18nProvider) only picks the dictionary.
 */
import type { Locale } from '../../../contract/station-api.js';
import { en, type MessageKey } from './en.js';
import { zhCN } from './zh-CN.js';

export type { MessageKey };
export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** Names of the languages, each in itself (what a language picker shows whatever the current language). */
export const LOCALE_NAMES: Record<Locale, string> = { 'zh-CN': '简体中文', en: 'English' };

/**
 * `{count:fix|fixes}`: the word for the number in `count`, singular for exactly 1. English only needs one and
 * other; Chinese strings do not use it. Filled after the plain placeholders, which never contain braces.
 */
const PLURAL = /\{(\w+):([^|{}]*)\|([^{}]*)\}/g;

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  // A key missing at runtime (only possible through a cast) shows itself, which the UI test looks for.
  const template = DICTIONARIES[locale][key] ?? en[key] ?? key;
  if (!params) return template;
  return template
    .replace(/\{(\w+)\}/g, (whole, name: string) =>
      Object.hasOwn(params, name) ? String(params[name]) : whole,
    )
    .replace(PLURAL, (whole, name: string, one: string, other: string) =>
      Object.hasOwn(params, name) ? (Number(params[name]) === 1 ? one : other) : whole,
    );
}

/** The language before the station's settings arrive: Chinese systems get zh-CN, others English. */
export function systemLocale(languages: readonly string[]): Locale {
  return languages.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}
