import { memo } from 'react';
import type { WatchedMember } from '../../../contract/station-api.js';
import { formatAge } from '../format/format.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { MemberState } from '../live/member-state.js';
import { STATE_KEYS } from '../map/MemberPopup.js';

export interface MemberActions {
  recolor(uid: string, color: string): void;
  relabel(uid: string, label: string): void;
  remove(uid: string): void;
  history(uid: string): void;
  centre(uid: string): void;
  follow(uid: string): void;
  toggleChecked(uid: string, checked: boolean): void;
}

export const ROW_HEIGHT = 58;

/**
 * One watched member. Memoized; only rows in sight are mounted (VirtualRows), and they re-render once a second
 * for their age, state and "outside the view" mark.
 */
export const MemberRow = memo(function MemberRow({
  member,
  actions,
  lastTs,
  state,
  outside,
  checked,
  selected,
  followed,
  now,
  top,
}: {
  member: WatchedMember;
  actions: MemberActions;
  lastTs: number | undefined;
  state: MemberState;
  outside: boolean | undefined;
  checked: boolean;
  selected: boolean;
  followed: boolean;
  now: number;
  top: number;
}) {
  const { t, locale } = useI18n();
  const { uid } = member;
  const seen =
    lastTs === undefined ? t('watch.noFix') : t('watch.lastSeen', { age: formatAge(now - lastTs, locale) });
  return (
    <li
      data-uid={uid}
      data-state={state}
      data-outside={outside ? 'true' : undefined}
      className={selected ? 'member-row selected' : 'member-row'}
      style={{ position: 'absolute', top, left: 0, right: 0, height: ROW_HEIGHT }}
      onClick={(e) => {
        if ((e.target as HTMLElement).closest('input, button')) return;
        actions.centre(uid);
      }}
    >
      <input
        type="checkbox"
        className="member-check"
        aria-label={t('watch.select', { uid })}
        checked={checked}
        onChange={(e) => actions.toggleChecked(uid, e.target.checked)}
      />
      <input
        type="color"
        aria-label={t('watch.color')}
        value={member.color}
        onChange={(e) => actions.recolor(uid, e.target.value)}
      />
      <div className="member-text">
        <input
          className="member-label"
          aria-label={t('watch.label')}
          // Cut with an ellipsis when the row is narrow: the tooltip keeps the whole name.
          title={member.label}
          defaultValue={member.label}
          onBlur={(e) => {
            const next = e.target.value.trim();
            if (next && next !== member.label) actions.relabel(uid, next);
          }}
        />
        {/* In a narrow panel the id and age are cut with an ellipsis, never the "off view" mark, which is what
            the dispatcher acts on (at the end of the line it was cut to "o…"); the tooltip keeps the line whole. */}
        <span
          className="member-meta"
          title={`${t(STATE_KEYS[state])} · ${uid} · ${seen}${outside ? ` · ${t('watch.outside')}` : ''}`}
        >
          <span className={`state-dot state-${state}`} title={t(STATE_KEYS[state])} />
          <span className="member-seen">
            {uid} · <span className="last-seen">{seen}</span>
          </span>
          {outside ? (
            <span className="outside-mark" title={t('watch.outsideView')}>
              {t('watch.outside')}
            </span>
          ) : null}
        </span>
      </div>
      <button
        type="button"
        className={followed ? 'follow active' : 'follow'}
        aria-pressed={followed}
        title={followed ? t('popup.unfollow') : t('popup.follow')}
        onClick={() => actions.follow(uid)}
      >
        {/* As short as "Follow": "Stop following" took the row's width from the member's name. */}
        {followed ? t('watch.following') : t('popup.follow')}
      </button>
      <button type="button" onClick={() => actions.history(uid)}>
        {t('watch.history')}
      </button>
      <button type="button" className="danger" onClick={() => actions.remove(uid)}>
        {t('watch.remove')}
      </button>
    </li>
  );
});
