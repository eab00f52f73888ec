import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { MemberSummary, StationApi, WatchedMember } from '../../../contract/station-api.js';
import { UID_PATTERN } from '../../../protocol/fix-limits.js';
import { formatAge } from '../format/format.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { LiveStore } from '../live/live-store.js';
import { nextColor } from '../../../contract/member-colors.js';
import { MemberRow, type MemberActions } from './MemberRow.js';
import { useLastSeen } from './useLastSeen.js';

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
  /** A failed call, for the caller to translate by its code. */
  onError: (error: unknown) => void;
  onHistory: (uid: string) => void;
}) {
  const { t, locale } = useI18n();
  const [uid, setUid] = useState('');
  const [label, setLabel] = useState('');
  const [bad, setBad] = useState(false);
  const [filter, setFilter] = useState('');
  const [suggestions, setSuggestions] = useState<MemberSummary[]>([]);
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

  // Row callbacks read the latest props through a ref, so memoized rows never re-render for a new closure.
  const props = useRef({ station, onChanged, onError, onHistory });
  props.current = { station, onChanged, onError, onHistory };
  const run = useCallback((action: (api: StationApi) => Promise<unknown>): void => {
    const p = props.current;
    action(p.station).then(p.onChanged, (error: unknown) => p.onError(error));
  }, []);
  const actions = useMemo<MemberActions>(
    () => ({
      recolor: (uid, color) => run((api) => api.updateMember(uid, { color })),
      relabel: (uid, label) => run((api) => api.updateMember(uid, { label })),
      remove: (uid) => run((api) => api.unwatch(uid)),
      history: (uid) => props.current.onHistory(uid),
    }),
    [run],
  );
  const lastSeenText = useCallback(
    (lastTs: number | undefined, now: number) =>
      lastTs === undefined ? t('watch.noFix') : t('watch.lastSeen', { age: formatAge(now - lastTs, locale) }),
    [t, locale],
  );
  const lastSeenRef = useLastSeen(live, lastSeenText);

  const add = (event: FormEvent): void => {
    event.preventDefault();
    const trimmed = uid.trim();
    if (!UID_PATTERN.test(trimmed)) {
      setBad(true);
      return;
    }
    setBad(false);
    const color = nextColor(members.map((m) => m.color));
    const chosenLabel = label.trim();
    run((api) => api.watch(trimmed, { color, ...(chosenLabel ? { label: chosenLabel } : {}) }));
    setUid('');
    setLabel('');
  };

  const needle = filter.trim().toLowerCase();
  const shown = needle
    ? members.filter((m) => m.uid.toLowerCase().includes(needle) || m.label.toLowerCase().includes(needle))
    : members;

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
        {shown.map((m) => (
          <MemberRow key={m.uid} member={m} actions={actions} lastSeenRef={lastSeenRef(m.uid)} />
        ))}
      </ul>
    </section>
  );
}
