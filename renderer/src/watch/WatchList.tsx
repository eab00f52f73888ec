import { useEffect, useState, type FormEvent } from 'react';
import type { MemberSummary, StationApi, WatchedMember } from '../../../electron/core/api.js';
import { UID_PATTERN } from '../../../protocol/fix.js';
import { formatAge } from '../format/format.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { LiveStore } from '../live/live-store.js';
import { nextColor } from './colors.js';

/** The side panel's list of watched members: add by uid, rename, recolour, remove, jump to history. */
export function WatchList({
  station,
  members,
  live,
  onChanged,
  onError,
  onHistory,
}: {
  station: StationApi;
  members: readonly WatchedMember[];
  live: LiveStore;
  onChanged: () => void;
  onError: (message: string) => void;
  onHistory: (uid: string) => void;
}) {
  const { t, locale } = useI18n();
  const [uid, setUid] = useState('');
  const [label, setLabel] = useState('');
  const [bad, setBad] = useState(false);
  const [filter, setFilter] = useState('');
  const [suggestions, setSuggestions] = useState<MemberSummary[]>([]);
  const [, setTick] = useState(0);

  // "last seen" ages: one re-render every few seconds, not one per fix.
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 5000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    let cancelled = false;
    station.listMembers().then(
      (list) => {
        if (!cancelled) setSuggestions(list.filter((m) => !m.watched && m.allowed).slice(0, 20));
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [station, members]);

  const run = (action: Promise<unknown>): void => {
    action.then(onChanged, (error: unknown) => onError(String((error as Error).message ?? error)));
  };

  const add = (event: FormEvent): void => {
    event.preventDefault();
    const trimmed = uid.trim();
    if (!UID_PATTERN.test(trimmed)) {
      setBad(true);
      return;
    }
    setBad(false);
    const color = nextColor(members.map((m) => m.color));
    run(station.watch(trimmed, { color, ...(label.trim() ? { label: label.trim() } : {}) }));
    setUid('');
    setLabel('');
  };

  const needle = filter.trim().toLowerCase();
  const shown = needle
    ? members.filter((m) => m.uid.toLowerCase().includes(needle) || m.label.toLowerCase().includes(needle))
    : members;
  const now = Date.now();

  return (
    <section className="watch-list" aria-label={t('watch.title')}>
      <h2>
        {t('watch.title')} <small>{t('watch.count', { count: members.length })}</small>
      </h2>
      <form className="watch-add" onSubmit={add}>
        <input
          name="uid"
          placeholder={t('watch.uid')}
          aria-label={t('watch.uid')}
          value={uid}
          list="member-suggestions"
          onChange={(e) => setUid(e.target.value)}
        />
        <input
          name="label"
          placeholder={t('watch.label')}
          aria-label={t('watch.label')}
          value={label}
          onChange={(e) => setLabel(e.target.value)}
        />
        <button type="submit">{t('watch.add')}</button>
        <datalist id="member-suggestions">
          {suggestions.map((m) => (
            <option key={m.uid} value={m.uid}>
              {m.label ?? m.uid}
            </option>
          ))}
        </datalist>
      </form>
      {bad ? <p className="form-error">{t('watch.badUid')}</p> : null}
      {suggestions.length > 0 ? (
        <p className="hint">
          {t('watch.suggestions')}: {suggestions.map((m) => m.uid).join(', ')}
        </p>
      ) : null}
      {members.length > 8 ? (
        <input
          className="watch-filter"
          placeholder={t('watch.filter')}
          aria-label={t('watch.filter')}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      ) : null}
      {members.length === 0 ? <p className="hint">{t('watch.empty')}</p> : null}
      <ul>
        {shown.map((m) => {
          const fix = live.latest(m.uid);
          return (
            <li key={m.uid} data-uid={m.uid}>
              <input
                type="color"
                aria-label={t('watch.color')}
                value={m.color}
                onChange={(e) => run(station.updateMember(m.uid, { color: e.target.value }))}
              />
              <div className="member-text">
                <input
                  className="member-label"
                  aria-label={t('watch.label')}
                  defaultValue={m.label}
                  onBlur={(e) => {
                    const next = e.target.value.trim();
                    if (next && next !== m.label) run(station.updateMember(m.uid, { label: next }));
                  }}
                />
                <span className="member-meta">
                  {m.uid} ·{' '}
                  {fix ? t('watch.lastSeen', { age: formatAge(now - fix.ts, locale) }) : t('watch.noFix')}
                </span>
              </div>
              <button type="button" onClick={() => onHistory(m.uid)}>
                {t('watch.history')}
              </button>
              <button type="button" className="danger" onClick={() => run(station.unwatch(m.uid))}>
                {t('watch.remove')}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
