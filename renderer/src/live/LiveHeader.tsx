/**
 * The header's live/stale/offline/no-fix counts (or, while the station is not connected, that it is not and since
 * when member states are held) and the recent offline alerts, updated a few times a second at most.
 */
import './live.css';
import { useEffect, useRef, useState } from 'react';
import type { WatchedMember } from '../../../contract/station-api.js';
import { formatTime } from '../format/format.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { Judgement, StateCounts } from './member-state.js';
import type { OfflineAlert } from './offline-alerts.js';
import type { MemberStateTracker } from './state-tracker.js';

interface HeaderState {
  counts: StateCounts;
  judgement: Judgement;
  heldSince?: number;
}

function headerState(tracker: MemberStateTracker): HeaderState {
  return { counts: tracker.counts(), ...tracker.currentJudgement() };
}

export function useStateCounts(tracker: MemberStateTracker): HeaderState {
  const [state, setState] = useState(() => headerState(tracker));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = tracker.subscribe(() => {
      timer ??= setTimeout(() => {
        timer = undefined;
        setState(headerState(tracker));
      }, 250);
    });
    setState(headerState(tracker));
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [tracker]);
  return state;
}

export function LiveHeader({
  tracker,
  alerts,
  members,
  onPick,
  onClear,
}: {
  tracker: MemberStateTracker;
  alerts: readonly OfflineAlert[];
  members: readonly WatchedMember[];
  onPick: (uid: string) => void;
  onClear: () => void;
}) {
  const { t, locale } = useI18n();
  const { counts, judgement, heldSince } = useStateCounts(tracker);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  // A popover: Escape or a click elsewhere closes it, else it stays over the side panel on every tab.
  useEffect(() => {
    if (!open) return undefined;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') setOpen(false);
    };
    const onDown = (e: PointerEvent): void => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onDown);
    };
  }, [open]);
  const labels = new Map(members.map((m) => [m.uid, m.label || m.uid]));
  return (
    <div className="live-header" ref={root}>
      {judgement === 'judging' ? (
        <span className="state-counts" aria-live="polite" data-judgement={judgement}>
          <span className="count-live">{t('counts.live', { count: counts.live })}</span>
          {' · '}
          <span className="count-stale">{t('counts.stale', { count: counts.stale })}</span>
          {' · '}
          <span className="count-offline">{t('counts.offline', { count: counts.offline })}</span>
          {counts.none > 0 ? (
            <>
              {' · '}
              <span className="count-none">{t('counts.none', { count: counts.none })}</span>
            </>
          ) : null}
        </span>
      ) : (
        // Not counting: every age grows while we are cut off, so the counts would say what we did, not them.
        <span className="state-counts state-held" aria-live="polite" data-judgement={judgement}>
          {t(judgement === 'catching_up' ? 'counts.catchingUp' : 'counts.notConnected')}
          {heldSince !== undefined
            ? ' · ' + t('counts.heldSince', { time: formatTime(heldSince, locale) })
            : null}
        </span>
      )}
      <button
        type="button"
        className={alerts.length > 0 ? 'alerts-button has-alerts' : 'alerts-button'}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {t('alerts.button', { count: alerts.length })}
      </button>
      {open ? (
        <div className="alerts-panel" role="dialog" aria-label={t('alerts.title')}>
          <strong>{t('alerts.title')}</strong>
          {alerts.length === 0 ? <p>{t('alerts.none')}</p> : null}
          <ul>
            {alerts.map((a) => (
              <li key={`${a.uid}-${a.at}`}>
                <button type="button" onClick={() => onPick(a.uid)}>
                  {t('alerts.wentOffline', {
                    name: labels.get(a.uid) ?? a.uid,
                    time: formatTime(a.at, locale),
                    last: formatTime(a.lastTs, locale),
                  })}
                </button>
              </li>
            ))}
          </ul>
          {alerts.length > 0 ? (
            <button type="button" onClick={onClear}>
              {t('alerts.clear')}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
