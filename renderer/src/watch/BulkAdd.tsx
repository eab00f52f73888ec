/**
 * Adding many members at once: paste a list of ids, or tick members the station has seen recently. Each member
 * gets an outcome; refused ones are listed with the reason in the dispatcher's language.
 */
import { useEffect, useState } from 'react';
import type { MemberSummary, StationApi, WatchedMember } from '../../../contract/station-api.js';
import { nextColor } from '../../../contract/member-colors.js';
import { formatAge } from '../format/format.js';
import { errorText } from '../i18n/error-text.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { parseUidList } from './uid-list.js';
import { watchManyAdapter, type WatchOutcome, type WatchRequest } from './watch-many-adapter.js';

const RECENT_SHOWN = 200;

export function BulkAdd({
  station,
  members,
  onChanged,
}: {
  station: StationApi;
  members: readonly WatchedMember[];
  onChanged: () => void;
}) {
  const { t, locale } = useI18n();
  const [text, setText] = useState('');
  const [recent, setRecent] = useState<MemberSummary[]>([]);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const [result, setResult] = useState<
    { added: number; refused: WatchOutcome[]; invalid: string[] } | undefined
  >();

  useEffect(() => {
    let cancelled = false;
    station.listMembers().then(
      (list) => {
        if (cancelled) return;
        const candidates = list
          .filter((m) => !m.watched && m.allowed)
          .sort((a, b) => (b.lastTs ?? -Infinity) - (a.lastTs ?? -Infinity))
          .slice(0, RECENT_SHOWN);
        setRecent(candidates);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [station, members]);

  const run = (uids: readonly string[], invalid: string[]): void => {
    const colors = members.map((m) => m.color);
    const requests: WatchRequest[] = uids.map((uid) => {
      const color = nextColor(colors);
      colors.push(color);
      return { uid, color };
    });
    setProgress({ done: 0, total: requests.length });
    void watchManyAdapter(station, requests, (done, total) => setProgress({ done, total })).then(
      (outcomes) => {
        setProgress(undefined);
        setResult({
          added: outcomes.filter((o) => o.ok).length,
          refused: outcomes.filter((o) => !o.ok),
          invalid,
        });
        onChanged();
      },
    );
  };

  const addPasted = (): void => {
    const parsed = parseUidList(text, new Set(members.map((m) => m.uid)));
    setText('');
    run(parsed.toAdd, parsed.invalid);
  };

  const addPicked = (): void => {
    run([...picked], []);
    setPicked(new Set());
  };

  const now = Date.now();
  return (
    <details className="bulk-add">
      <summary>{t('bulk.title')}</summary>
      <label className="bulk-paste">
        {t('bulk.pasteLabel')}
        <textarea
          name="bulkUids"
          rows={3}
          value={text}
          placeholder={t('bulk.pastePlaceholder')}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <button type="button" disabled={!text.trim() || progress !== undefined} onClick={addPasted}>
        {t('bulk.addPasted')}
      </button>
      {recent.length > 0 ? (
        <fieldset className="bulk-recent">
          <legend>{t('watch.suggestions')}</legend>
          <ul>
            {recent.map((m) => (
              <li key={m.uid}>
                <label>
                  <input
                    type="checkbox"
                    checked={picked.has(m.uid)}
                    onChange={(e) => {
                      const next = new Set(picked);
                      if (e.target.checked) next.add(m.uid);
                      else next.delete(m.uid);
                      setPicked(next);
                    }}
                  />
                  <span className="bulk-recent-name">
                    {m.label ?? m.uid}
                    {/* A member with no label is named by its ID already: say it once. */}
                    {m.label === undefined || m.label === m.uid ? null : <small> {m.uid}</small>}
                    {m.lastTs === undefined ? null : (
                      <small> · {t('watch.lastSeen', { age: formatAge(now - m.lastTs, locale) })}</small>
                    )}
                  </span>
                </label>
              </li>
            ))}
          </ul>
          <button type="button" disabled={picked.size === 0 || progress !== undefined} onClick={addPicked}>
            {t('bulk.addPicked', { count: picked.size })}
          </button>
        </fieldset>
      ) : null}
      {progress ? <p className="hint">{t('bulk.progress', progress)}</p> : null}
      {result ? (
        <div className="bulk-result">
          <p>{t('bulk.added', { count: result.added })}</p>
          {result.invalid.length > 0 ? (
            <p className="form-error">{t('bulk.invalid', { ids: result.invalid.join(', ') })}</p>
          ) : null}
          {result.refused.length > 0 ? (
            <ul className="form-error">
              {result.refused.map((o) => (
                <li key={o.uid}>
                  {o.uid}: {o.ok ? '' : errorText(t, { code: o.code, message: o.message })}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </details>
  );
}
