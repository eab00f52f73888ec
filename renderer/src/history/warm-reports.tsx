/**
 * The history review's first React mount in a page, done once on a made-up period while the live tab is idle
 * (warm-history.ts): the timeline with its health strip, scrubber and time box, and a member's report. A profile of
 * a first load had React mounting them ~30 ms slower than on later loads (V8 compiling the components and
 * React DOM's paths for their inputs, Chromium building the time box's fields for the locale); after this, the
 * first real mount is a later one. Off-screen, hidden from assistive technology, removed in the same task.
 */
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { Locale, TrackColumns } from '../../../contract/station-api.js';
import { trackOverview } from '../../../contract/track/overview.js';
import { DEFAULT_TRACK_SETTINGS } from '../../../contract/track/settings.js';
import { I18nProvider } from '../i18n/I18nProvider.js';
import { HistoryTimeline } from './HistoryTimeline.js';
import type { LoadedHistory } from './history-types.js';
import { MemberReport } from './MemberReport.js';
import { PlaybackController } from './playback-controller.js';

/** The loaded period a made-up track would give: one member, its overview only (no columns yet, as at first draw). */
export function madeUpHistory(track: TrackColumns): LoadedHistory {
  const n = track.count;
  const range = { from: track.ts[0]!, to: track.ts[n - 1]! + 1000 };
  const overview = trackOverview(track, DEFAULT_TRACK_SETTINGS, [], { ...range, now: range.to });
  return {
    loadId: -1,
    ...range,
    members: [
      {
        uid: track.uid,
        label: track.uid,
        color: '#1565c0',
        count: n,
        firstTs: range.from,
        lastTs: track.ts[n - 1]!,
        outline: overview.outline,
        holes: overview.holes,
        analysis: overview.analysis,
        arrival: overview.arrival,
        counts: overview.counts,
      },
    ],
    gapStyle: 'dashed',
    loadMs: 0,
    columns: { done: 0, total: 1 },
  };
}

export function mountReportsOnce(locale: Locale, history: LoadedHistory): void {
  const host = document.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  host.inert = true;
  host.style.cssText = 'position: fixed; left: -10000px; top: 0; width: 1000px; visibility: hidden';
  document.body.append(host);
  const root = createRoot(host);
  const controller = new PlaybackController();
  controller.reset(history.from, history.to);
  try {
    flushSync(() =>
      root.render(
        <I18nProvider locale={locale}>
          <HistoryTimeline history={history} controller={controller} />
          {history.members.map((m) => (
            <MemberReport key={m.uid} member={m} controller={controller} />
          ))}
        </I18nProvider>,
      ),
    );
    // Style and layout of what mounted, as the real mount's frame does.
    void host.offsetHeight;
  } finally {
    root.unmount();
    host.remove();
    controller.dispose();
  }
}
