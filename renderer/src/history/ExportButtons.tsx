import { useEffect, useRef, useState } from 'react';
import {
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportProgress,
  type ExportResult,
  type StationApi,
} from '../../../contract/station-api.js';
import type { TrackSettings } from '../../../contract/track/settings.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { errorText } from '../i18n/error-text.js';
import { exportedName } from './export-text.js';

/** As the formats spell themselves ("GEOJSON" read as a typo). */
const FORMAT_NAMES: Record<ExportFormat, string> = { gpx: 'GPX', kml: 'KML', geojson: 'GeoJSON', csv: 'CSV' };

/**
 * Export buttons for the loaded members and period, cut by the same gap and stop settings as the map, with
 * progress from `onExportProgress` and the written file (Electron asks where; in a browser the download starts by
 * itself when the export finishes, with a link kept as a fallback).
 */
export function ExportButtons({
  station,
  uids,
  from,
  to,
  settings,
}: {
  station: StationApi;
  uids: string[];
  from: number;
  to: number;
  settings: TrackSettings;
}) {
  const { t } = useI18n();
  const [pending, setPending] = useState<ExportFormat | undefined>();
  const [progress, setProgress] = useState<ExportProgress | undefined>();
  const [result, setResult] = useState<ExportResult | undefined>();
  const [error, setError] = useState<string | undefined>();
  const linkRef = useRef<HTMLAnchorElement | null>(null);

  // Browser host: start the download once, when the export finishes (the link stays for a retry).
  useEffect(() => {
    if (result?.downloadUrl) linkRef.current?.click();
  }, [result]);

  useEffect(
    () =>
      station.onExportProgress((p) => {
        // The export id is known only when the call returns; until then match by member and format.
        if (p.uids.join() === uids.join()) setProgress(p);
      }),
    [station, uids],
  );

  const start = (format: ExportFormat): void => {
    setPending(format);
    setResult(undefined);
    setError(undefined);
    setProgress(undefined);
    const utcOffsetMinutes = -new Date(from).getTimezoneOffset();
    station.exportTrack({ uids, from, to, format, utcOffsetMinutes, settings }).then(
      (r) => {
        setResult(r);
        setPending(undefined);
      },
      (e: unknown) => {
        setError(errorText(t, e));
        setPending(undefined);
      },
    );
  };

  return (
    <section className="exports">
      <h3>{t('export.title')}</h3>
      <div className="export-buttons">
        {EXPORT_FORMATS.map((format) => (
          <button key={format} type="button" disabled={pending !== undefined} onClick={() => start(format)}>
            {FORMAT_NAMES[format]}
          </button>
        ))}
      </div>
      {pending && progress && !progress.done ? (
        <p className="export-progress">
          <progress value={progress.written} max={Math.max(1, progress.total)} />{' '}
          {t('export.progress', {
            format: FORMAT_NAMES[pending],
            written: progress.written,
            total: progress.total,
          })}
        </p>
      ) : null}
      {result ? (
        <p className="export-result">
          {t('export.done', { count: result.count, path: exportedName(result) })}{' '}
          {result.downloadUrl ? (
            <a ref={linkRef} href={result.downloadUrl} download={exportedName(result)}>
              {t('export.download')}
            </a>
          ) : null}
        </p>
      ) : null}
      {error ? <p className="form-error">{t('export.failed', { message: error })}</p> : null}
    </section>
  );
}
