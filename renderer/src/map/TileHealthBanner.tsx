/** What the map says when its tiles stop arriving: which source, since when, and that members are still drawn. */
import { formatTime } from '../format/format.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { DownSource } from './tile-health.js';
import './basemap.css';

export function TileHealthBanner({ down }: { down: readonly DownSource[] }) {
  const { t, locale } = useI18n();
  return (
    <div className="tile-health" role="status" aria-live="polite">
      {down.map((d) => (
        <p key={d.source} data-source={d.source}>
          {t('tiles.unreachable', { host: d.source, since: formatTime(d.since, locale) })}
        </p>
      ))}
    </div>
  );
}
