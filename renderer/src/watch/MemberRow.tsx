import { memo } from 'react';
import type { WatchedMember } from '../../../contract/station-api.js';
import { useI18n } from '../i18n/I18nProvider.js';

export interface MemberActions {
  recolor(uid: string, color: string): void;
  relabel(uid: string, label: string): void;
  remove(uid: string): void;
  history(uid: string): void;
}

/** One watched member. Memoized: a row re-renders only when its member changes; "last seen" is written directly. */
export const MemberRow = memo(function MemberRow({
  member,
  actions,
  lastSeenRef,
}: {
  member: WatchedMember;
  actions: MemberActions;
  lastSeenRef: (el: HTMLElement | null) => void;
}) {
  const { t } = useI18n();
  const { uid } = member;
  return (
    <li data-uid={uid}>
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
          defaultValue={member.label}
          onBlur={(e) => {
            const next = e.target.value.trim();
            if (next && next !== member.label) actions.relabel(uid, next);
          }}
        />
        <span className="member-meta">
          {uid} · <span className="last-seen" ref={lastSeenRef} />
        </span>
      </div>
      <button type="button" onClick={() => actions.history(uid)}>
        {t('watch.history')}
      </button>
      <button type="button" className="danger" onClick={() => actions.remove(uid)}>
        {t('watch.remove')}
      </button>
    </li>
  );
});
