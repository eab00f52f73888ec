import { useEffect, useState } from 'react';
import type { StationApi, StationStatus } from '../../../contract/station-api.js';
import { formatTime } from '../format/format.js';
import { errorText } from '../i18n/error-text.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { LiveStore } from '../live/live-store.js';
import { statusLines } from './status-lines.js';

/** Re-reading "next try in N s" and the fix count once a second is plenty. */
const REFRESH_MS = 1000;

export function StatusBar({ station, live }: { station: StationApi; live: LiveStore }) {
  const { t, locale } = useI18n();
  const [status, setStatus] = useState<StationStatus | undefined>();
  const [unreachable, setUnreachable] = useState<unknown>();
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    let cancelled = false;
    station.getStatus().then(
      (s) => {
        if (!cancelled) setStatus((current) => current ?? s);
      },
      (error: unknown) => {
        if (!cancelled) setUnreachable(error);
      },
    );
    const off = station.onStatus((s) => {
      setUnreachable(undefined);
      setStatus(s);
    });
    return () => {
      cancelled = true;
      off();
    };
  }, [station]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const lines = status ? statusLines(status, now, (ms) => formatTime(ms, locale)) : [];
  return (
    <footer className="status-bar" data-state={status?.state ?? 'unknown'}>
      {unreachable !== undefined ? (
        <span className="status-line severity-error">{errorText(t, unreachable)}</span>
      ) : null}
      {lines.map((line) => (
        <span key={line.key} className={`status-line severity-${line.severity}`}>
          {t(line.key, line.params)}
        </span>
      ))}
      <span className="status-count">{t('status.received', { count: live.received })}</span>
    </footer>
  );
}
