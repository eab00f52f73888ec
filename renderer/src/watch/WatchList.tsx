import {
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type FormEvent,
} from 'react';
import type { StationApi, WatchedMember } from '../../../contract/station-api.js';
import { nextColor } from '../../../contract/member-colors.js';
import { UID_PATTERN } from '../../../protocol/fix-limits.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { LiveStore } from '../live/live-store.js';
import type { MemberStateTracker } from '../live/state-tracker.js';
import type { LiveView } from '../map/live-view.js';
import { BulkAdd } from './BulkAdd.js';
import { orderMembers, SORT_KEYS, type SortKey } from './member-order.js';
import { MemberRow, ROW_HEIGHT, type MemberActions } from './MemberRow.js';
import { VirtualRows } from './VirtualRows.js';
import { unwatchManyAdapter, watchManyAdapter } from './watch-many-adapter.js';

/**
 * How long "Undo" is offered after a removal: a watched member's label and colour go with it (the station keeps
 * its fixes), and a Remove is one click beside Follow and History.
 */
const UNDO_MS = 15_000;

/** Sorting by last seen or state is redone this often, so rows do not jump under the pointer every second. */
const RESORT_MS = 5000;

const SORT_LABELS = {
  label: 'sort.label',
  id: 'sort.id',
  lastSeen: 'sort.lastSeen',
  state: 'sort.state',
} as const satisfies Record<SortKey, string>;

/** The side panel's list of watched members: find, sort, add one or many, select several, follow, remove. */
function WatchListView({
  station,
  members,
  live,
  tracker,
  view,
  onChanged,
  onError,
  onHistory,
}: {
  station: StationApi;
  members: readonly WatchedMember[];
  live: LiveStore;
  tracker: MemberStateTracker;
  view: LiveView;
  onChanged: () => void;
  /** A failed call, for the caller to translate by its code. */
  onError: (error: unknown) => void;
  onHistory: (uid: string) => void;
}) {
  const { t } = useI18n();
  const [uid, setUid] = useState('');
  const [label, setLabel] = useState('');
  const [bad, setBad] = useState(false);
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<SortKey>('label');
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [now, setNow] = useState(() => Date.now());
  const snapshot = useSyncExternalStore(view.subscribe, view.getSnapshot);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  // Row callbacks read the latest props through a ref, so memoized rows never re-render for a new closure.
  const props = useRef({ station, onChanged, onError, onHistory, view, members });
  props.current = { station, onChanged, onError, onHistory, view, members };
  // Members just removed, as they were: "Undo" watches them again with their labels and colours.
  const [removed, setRemoved] = useState<readonly WatchedMember[]>();
  useEffect(() => {
    if (!removed) return;
    const timer = setTimeout(() => setRemoved(undefined), UNDO_MS);
    return () => clearTimeout(timer);
  }, [removed]);
  const run = useCallback((action: (api: StationApi) => Promise<unknown>): void => {
    const p = props.current;
    action(p.station).then(p.onChanged, (error: unknown) => p.onError(error));
  }, []);
  const actions = useMemo<MemberActions>(
    () => ({
      recolor: (uid, color) => run((api) => api.updateMember(uid, { color })),
      relabel: (uid, label) => run((api) => api.updateMember(uid, { label })),
      remove: (uid) => {
        const member = props.current.members.find((m) => m.uid === uid);
        run((api) => api.unwatch(uid).then(() => member && setRemoved([member])));
      },
      history: (uid) => props.current.onHistory(uid),
      centre: (uid) => props.current.view.select(uid, true),
      follow: (uid) => {
        const v = props.current.view;
        v.follow(v.getSnapshot().followed === uid ? undefined : uid);
      },
      toggleChecked: (uid, on) =>
        setChecked((current) => {
          const next = new Set(current);
          if (on) next.add(uid);
          else next.delete(uid);
          return next;
        }),
    }),
    [run],
  );

  const dynamicSort = sort === 'lastSeen' || sort === 'state';
  const sortEpoch = dynamicSort ? Math.floor(now / RESORT_MS) : 0;
  const shown = useMemo(
    () =>
      orderMembers(members, filter, sort, {
        lastTs: (u) => live.latest(u)?.ts,
        state: (u) => tracker.state(u),
      }),
    // sortEpoch re-sorts the time-dependent orders now and then.
    [members, filter, sort, live, tracker, sortEpoch],
  );
  const selectedIndex = snapshot.selected ? shown.findIndex((m) => m.uid === snapshot.selected) : -1;

  // Forget ticks of members no longer watched.
  useEffect(() => {
    const watched = new Set(members.map((m) => m.uid));
    setChecked((current) => {
      const next = new Set([...current].filter((u) => watched.has(u)));
      return next.size === current.size ? current : next;
    });
  }, [members]);

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

  const removeChecked = (): void => {
    const uids = [...checked];
    const before = new Map(members.map((m) => [m.uid, m]));
    setChecked(new Set());
    void unwatchManyAdapter(station, uids).then((outcomes) => {
      const failed = outcomes.find((o) => !o.ok);
      if (failed && !failed.ok) onError({ code: failed.code, message: failed.message });
      const gone = outcomes.flatMap((o) => (o.ok && before.has(o.uid) ? [before.get(o.uid)!] : []));
      if (gone.length > 0) setRemoved(gone);
      onChanged();
    });
  };

  const undoRemove = (): void => {
    const back = removed;
    setRemoved(undefined);
    if (!back) return;
    void watchManyAdapter(
      station,
      back.map((m) => ({ uid: m.uid, label: m.label, color: m.color })),
    ).then((outcomes) => {
      const failed = outcomes.find((o) => !o.ok);
      if (failed && !failed.ok) onError({ code: failed.code, message: failed.message });
      onChanged();
    });
  };

  const allShownChecked = shown.length > 0 && shown.every((m) => checked.has(m.uid));
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
      </form>
      {bad ? <p className="form-error">{t('watch.badUid')}</p> : null}
      <BulkAdd station={station} members={members} onChanged={onChanged} />
      {members.length === 0 ? <p className="hint">{t('watch.empty')}</p> : null}
      <div className="watch-tools">
        <input
          className="watch-filter"
          type="search"
          placeholder={t('watch.filter')}
          aria-label={t('watch.filter')}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <select
          className="watch-sort"
          aria-label={t('sort.title')}
          value={sort}
          onChange={(e) => setSort(e.target.value as SortKey)}
        >
          {SORT_KEYS.map((key) => (
            <option key={key} value={key}>
              {t(SORT_LABELS[key])}
            </option>
          ))}
        </select>
        <button type="button" className="fit-all" onClick={() => view.fitAll()}>
          {t('watch.fitAll')}
        </button>
      </div>
      <div className="watch-select">
        <label>
          <input
            type="checkbox"
            className="check-all"
            checked={allShownChecked}
            onChange={(e) => setChecked(e.target.checked ? new Set(shown.map((m) => m.uid)) : new Set())}
          />
          {t('watch.selectAll', { count: shown.length })}
        </label>
        <button
          type="button"
          className="danger remove-checked"
          disabled={checked.size === 0}
          onClick={removeChecked}
        >
          {t('watch.removeChecked', { count: checked.size })}
        </button>
      </div>
      {removed ? (
        <p className="undo-remove" role="status">
          <span>
            {removed.length === 1
              ? t('watch.removedOne', { label: removed[0]!.label })
              : t('watch.removedMany', { count: removed.length })}
          </span>
          <button type="button" className="undo" onClick={undoRemove}>
            {t('watch.undo')}
          </button>
        </p>
      ) : null}
      <VirtualRows
        className="watch-rows"
        items={shown}
        rowHeight={ROW_HEIGHT}
        scrollToIndex={selectedIndex}
        render={(m, _i, top) => (
          <MemberRow
            key={m.uid}
            member={m}
            actions={actions}
            lastTs={live.latest(m.uid)?.ts}
            state={tracker.state(m.uid)}
            outside={snapshot.version >= 0 ? view.outside(m.uid) : undefined}
            checked={checked.has(m.uid)}
            selected={snapshot.selected === m.uid}
            followed={snapshot.followed === m.uid}
            now={now}
            top={top}
          />
        )}
      />
    </section>
  );
}

/** Memoized: a tab switch re-renders the station but gives the watch list the same props. */
export const WatchList = memo(WatchListView);
