import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../../contract/station-api.js';
import { DICTIONARIES, systemLocale, translate, type MessageKey } from './translate.js';

const srcDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('dictionaries', () => {
  const enKeys = Object.keys(DICTIONARIES.en).sort();

  it.each(LOCALES)('%s has exactly the English keys, none empty', (locale) => {
    const dict = DICTIONARIES[locale];
    expect(Object.keys(dict).sort()).toEqual(enKeys);
    for (const [key, value] of Object.entries(dict)) expect(value.trim(), key).not.toBe('');
  });

  it.each(LOCALES)('%s keeps every placeholder of the English string', (locale) => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of enKeys as MessageKey[]) {
      expect(names(DICTIONARIES[locale][key]), key).toEqual(names(DICTIONARIES.en[key]));
    }
  });

  it('the Chinese dictionary is translated, not copied', () => {
    const same = (enKeys as MessageKey[]).filter((k) => DICTIONARIES['zh-CN'][k] === DICTIONARIES.en[k]);
    expect(same).toEqual([]);
  });

  it('every key the sources use exists, and every key is used', () => {
    const used = new Set<string>();
    for (const file of sources(srcDir)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([\w.-]+)'/g)) used.add(m[1] as string);
      // Keys handed around as values (a form's error key) count as used when they name a dictionary entry.
      for (const m of text.matchAll(/'([a-z]+\.[A-Za-z_]+)'/g))
        if ((m[1] as string) in DICTIONARIES.en) used.add(m[1] as string);
      // Keys built from a prefix and a value (status.<state>, preset.<name>, crs.<crs>) are listed as such.
      for (const m of text.matchAll(/`((?:status|preset|crs|tab|error\.code)\.)\$\{/g)) used.add(`${m[1]}*`);
    }
    const missing = [...used].filter((k) => !k.endsWith('*') && !(k in DICTIONARIES.en));
    expect(missing).toEqual([]);
    const prefixes = [...used].filter((k) => k.endsWith('*')).map((k) => k.slice(0, -1));
    const unused = enKeys.filter((k) => !used.has(k) && !prefixes.some((p) => k.startsWith(p)));
    expect(unused).toEqual([]);
  });
});

describe('translate', () => {
  it.each([
    ['en', 'tab.live', undefined, 'Live'],
    ['zh-CN', 'tab.live', undefined, '实时'],
    ['en', 'history.loadingMembers', { done: 2, total: 3 }, 'Loading… 2 of 3 members'],
    ['zh-CN', 'history.loadingMembers', { done: 2, total: 3 }, '正在加载… 第 2 / 3 人'],
    ['en', 'status.retryAt', { seconds: 3 }, 'next try at {time} (in 3 s)'],
    // English plurals: exactly 1 is singular, 0 and the rest plural; a missing count leaves the form as written.
    ['en', 'stats.filledDetail', { count: 1, spans: 1 }, '1 fix by catch-up or backfill (1 stretch)'],
    ['en', 'stats.filledDetail', { count: 0, spans: 0 }, '0 fixes by catch-up or backfill (0 stretches)'],
    ['en', 'stats.filledDetail', { count: 12, spans: 2 }, '12 fixes by catch-up or backfill (2 stretches)'],
    ['en', 'stats.setAsideDetail', { count: 1, accuracy: 0, jumps: 1 }, '1 fix (0 poor accuracy, 1 jump)'],
    ['en', 'stats.lateDetail', { count: 1, minutes: 1 }, '1 fix more than 1 min after their time'],
    ['en', 'alerts.notifyTitle', { count: 1 }, '1 member went offline'],
    ['en', 'alerts.notifyTitle', { count: 6 }, '6 members went offline'],
    ['en', 'counts.none', { count: 1 }, '1 no fix yet'],
    ['zh-CN', 'stats.filledDetail', { count: 1, spans: 1 }, '1 个定位点由追补或回填补上（1 段）'],
  ] as const)('%s %s %j', (locale, key, params, expected) => {
    expect(translate(locale, key, params)).toBe(expected);
  });
});

describe('systemLocale', () => {
  it.each([
    [['zh-CN'], 'zh-CN'],
    [['zh-TW', 'en'], 'zh-CN'],
    [['en-US', 'zh'], 'zh-CN'],
    [['en-US'], 'en'],
    [[], 'en'],
  ] as const)('%j → %s', (languages, expected) => {
    expect(systemLocale(languages)).toBe(expected);
  });
});
