/** What a dispatcher reads about one member on the map, and the "nearest members" answer for a point. */
import { useEffect, useState } from 'react';
import type { WatchedMember } from '../../../contract/station-api.js';
import { formatAge, formatDistance, formatSpeed, formatTime } from '../format/format.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { LiveStore } from '../live/live-store.js';
import type { MemberState } from '../live/member-state.js';
import type { NearestMember } from '../live/nearest.js';
import { toWgs84 } from '../live/nearest.js';
import type { MemberStateTracker } from '../live/state-tracker.js';

export const STATE_KEYS = {
  live: 'state.live',
  stale: 'state.stale',
  offline: 'state.offline',
  none: 'state.none',
} as const satisfies Record<MemberState, string>;

/** Re-read once a second while shown: the age and the latest fix change under an open popup. */
function useTick(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

export function MemberPopup({
  member,
  store,
  tracker,
  followed,
  onFollow,
  onHistory,
}: {
  member: WatchedMember;
  store: LiveStore;
  tracker: MemberStateTracker;
  followed: boolean;
  onFollow: () => void;
  onHistory: () => void;
}) {
  const { t, locale } = useI18n();
  const now = useTick();
  const fix = store.latest(member.uid);
  const state = tracker.state(member.uid);
  const wgs = fix ? toWgs84(fix.lat, fix.lon, fix.crs) : undefined;
  return (
    <div className="member-popup" data-uid={member.uid}>
      <strong>{member.label || member.uid}</strong>
      <span className={`state-chip state-${state}`}>{t(STATE_KEYS[state])}</span>
      <dl>
        <dt>{t('popup.id')}</dt>
        <dd>{member.uid}</dd>
        {fix ? (
          <>
            <dt>{t('popup.lastFix')}</dt>
            <dd>
              {t('watch.lastSeen', { age: formatAge(now - fix.ts, locale) })}
              <br />
              <small>{formatTime(fix.ts, locale)}</small>
            </dd>
            <dt>{t('popup.speed')}</dt>
            <dd>{fix.speed === undefined ? '–' : formatSpeed(fix.speed, locale)}</dd>
            <dt>{t('popup.accuracy')}</dt>
            <dd>{fix.accuracy === undefined ? '–' : formatDistance(fix.accuracy, locale)}</dd>
            <dt>{t('popup.coordinates')}</dt>
            <dd className="coords">{wgs ? `${wgs.lat.toFixed(6)}, ${wgs.lon.toFixed(6)}` : '–'}</dd>
          </>
        ) : (
          <dd>{t('watch.noFix')}</dd>
        )}
      </dl>
      <div className="popup-actions">
        <button type="button" onClick={onHistory}>
          {t('watch.history')}
        </button>
        <button type="button" aria-pressed={followed} onClick={onFollow}>
          {followed ? t('popup.unfollow') : t('popup.follow')}
        </button>
      </div>
    </div>
  );
}

export function NearestList({
  nearest,
  members,
  store,
  tracker,
  onPick,
}: {
  nearest: readonly NearestMember[];
  members: readonly WatchedMember[];
  store: LiveStore;
  tracker: MemberStateTracker;
  onPick: (uid: string) => void;
}) {
  const { t, locale } = useI18n();
  const now = useTick();
  const labels = new Map(members.map((m) => [m.uid, m.label || m.uid]));
  return (
    <div className="nearest-list">
      <strong>{t('nearest.title')}</strong>
      {nearest.length === 0 ? <p>{t('nearest.none')}</p> : null}
      <ol>
        {nearest.map((n) => {
          const state = tracker.state(n.uid);
          const ts = store.latest(n.uid)?.ts;
          return (
            <li key={n.uid} data-uid={n.uid}>
              <button
                type="button"
                onClick={(e) => {
                  // React handles the click in the popup's portal, before the map does, and the pick removes this
                  // popup: the map then sees a click on nothing and closes the member's popup the pick opened.
                  e.stopPropagation();
                  onPick(n.uid);
                }}
              >
                <span className={`state-dot state-${state}`} title={t(STATE_KEYS[state])} />
                <span className="nearest-name">{labels.get(n.uid)}</span>
                <span className="nearest-distance">{formatDistance(n.distanceM, locale)}</span>
                <small>
                  {t(STATE_KEYS[state])}
                  {ts === undefined ? '' : ` · ${t('watch.lastSeen', { age: formatAge(now - ts, locale) })}`}
                </small>
              </button>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
