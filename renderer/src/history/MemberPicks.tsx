/**
 * The members to review, one checkbox each. Memoized (only a change of members or of the choice re-renders it),
 * and each row is laid out only when scrolled into sight (`content-visibility` in app.css): with 5,000 watched
 * members, showing the history tab must not lay out 5,000 rows nobody sees.
 */
import { memo } from 'react';
import type { WatchedMember } from '../../../contract/station-api.js';
import { useI18n } from '../i18n/I18nProvider.js';

export const MemberPicks = memo(function MemberPicks({
  members,
  selected,
  onToggle,
}: {
  members: readonly WatchedMember[];
  selected: readonly string[];
  onToggle: (uid: string) => void;
}) {
  const { t } = useI18n();
  const chosen = new Set(selected);
  return (
    <fieldset className="member-picks">
      <legend>{t('history.members')}</legend>
      {members.length === 0 ? <p className="hint">{t('history.noMembers')}</p> : null}
      {members.map((m) => (
        <label key={m.uid} className="member-pick">
          <input type="checkbox" checked={chosen.has(m.uid)} onChange={() => onToggle(m.uid)} />
          <span className="swatch" style={{ background: m.color }} />
          {m.label === m.uid ? m.uid : `${m.label} (${m.uid})`}
        </label>
      ))}
    </fieldset>
  );
});
