import { LATE_AFTER_MS } from '../../../contract/track/arrival.js';
import type { TrackGap } from '../../../contract/track/segments.js';
import { formatDistance, formatDuration, formatSpeed } from '../format/format.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { formatClock, formatSpan } from './clock-text.js';
import type { HistoryMember } from './history-types.js';
import type { PlaybackController } from './playback-controller.js';
import { SpeedChart } from './SpeedChart.js';

/** One member's review: cleaned figures (and what was set aside), the gaps and the stops of the period. */
export function MemberReport({
  member,
  controller,
}: {
  member: HistoryMember;
  controller: PlaybackController;
}) {
  const { t, locale } = useI18n();
  const { figures, gaps, stops } = member.analysis;
  // Silence before the first fix or after the last is missing data of the period, but for a member sharing only on
  // shift it is most of a day: said apart, so "No data 15 h" does not read as 15 h lost.
  const edgeMs = gaps.reduce(
    (sum, g) => (g.cause === 'start' || g.cause === 'end' ? sum + g.durationMs : sum),
    0,
  );
  const gapCause = (gap: TrackGap): string => {
    if (gap.cause === 'hole') return t('history.gapHole', { reason: gap.reason ?? '' });
    if (gap.cause === 'speed') return t('history.gapJump');
    return '';
  };
  const gapText = (gap: TrackGap): string => {
    const duration = formatDuration(gap.durationMs, locale);
    if (gap.cause === 'end')
      return t('history.gapSince', { time: formatClock(gap.fromTs, locale), duration });
    if (gap.cause === 'start')
      return t('history.gapUntil', { time: formatClock(gap.toTs, locale), duration });
    return t('history.gapLine', { span: formatSpan(gap.fromTs, gap.toTs, locale), duration });
  };
  return (
    <section className="member-report" data-uid={member.uid}>
      <h3>
        <span className="swatch" style={{ background: member.color }} />
        {member.label === member.uid ? member.uid : `${member.label} (${member.uid})`}
      </h3>
      {member.count === 0 ? (
        <p className="hint">{t('history.memberEmpty')}</p>
      ) : (
        <>
          <dl className="stats">
            <dt>{t('stats.distance')}</dt>
            <dd data-stat="distance">{formatDistance(figures.distanceM, locale)}</dd>
            <dt>{t('stats.moving')}</dt>
            <dd data-stat="moving">{formatDuration(figures.movingMs, locale)}</dd>
            <dt>{t('stats.stopped')}</dt>
            <dd data-stat="stopped">{formatDuration(figures.stoppedMs, locale)}</dd>
            <dt>{t('stats.noData')}</dt>
            <dd data-stat="gaps">
              {formatDuration(figures.gapMs, locale)}
              {edgeMs > 0 ? (
                <small className="stat-note">
                  {t('stats.noDataEdges', { duration: formatDuration(edgeMs, locale) })}
                </small>
              ) : null}
            </dd>
            <dt>{t('stats.maxSpeed')}</dt>
            <dd data-stat="maxSpeed">{formatSpeed(figures.maxSpeedMps, locale)}</dd>
            <dt>{t('stats.count')}</dt>
            <dd data-stat="count">{member.count}</dd>
            <dt>{t('stats.filled')}</dt>
            <dd data-stat="filled">
              {t('stats.filledDetail', {
                count: member.arrival.filledCount,
                spans: member.arrival.filled.length,
              })}
            </dd>
            <dt>{t('stats.late')}</dt>
            <dd data-stat="late">
              {t('stats.lateDetail', {
                count: member.arrival.lateCount,
                minutes: LATE_AFTER_MS / 60_000,
              })}
              {member.arrival.unknownCount > 0 ? (
                <small> {t('stats.arrivalUnknown', { count: member.arrival.unknownCount })}</small>
              ) : null}
            </dd>
            <dt>{t('stats.setAside')}</dt>
            <dd data-stat="setAside">
              {t('stats.setAsideDetail', {
                count: figures.setAside,
                accuracy: figures.setAsidePoorAccuracy,
                jumps: figures.setAsideJumps,
              })}
            </dd>
          </dl>
          <p className="hint figures-method">
            {figures.method === 'speed' ? t('stats.methodSpeed') : t('stats.methodPositions')}
          </p>
          {member.track ? (
            <SpeedChart track={member.track} segments={member.analysis.segments} controller={controller} />
          ) : (
            <p className="hint speed-chart-wait">{t('chart.loading')}</p>
          )}
          <h4>{t('history.gaps', { count: gaps.length })}</h4>
          <ul className="gap-list">
            {gaps.map((gap) => (
              <li key={gap.fromTs}>
                <button
                  type="button"
                  className="link"
                  onClick={() => controller.show(member.uid, gap.fromTs)}
                >
                  {gapText(gap)}
                </button>{' '}
                <small>{gapCause(gap)}</small>
              </li>
            ))}
          </ul>
          <h4>{t('history.stops', { count: stops.length })}</h4>
          <ol className="stop-list">
            {stops.map((stop, k) => (
              <li key={stop.fromTs}>
                <button
                  type="button"
                  className="link"
                  onClick={() => controller.show(member.uid, stop.fromTs)}
                >
                  {t('history.stopLine', {
                    number: k + 1,
                    start: formatClock(stop.fromTs, locale),
                    end: formatClock(stop.toTs, locale),
                    duration: formatDuration(stop.durationMs, locale),
                  })}
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
