/**
 * The station's track exporter: the export writers (electron/core/export/) behind the station's `TrackExporter`
 * port. The station owns the export id and the progress events; the writer streams the file.
 */
import { writeTrackExport } from '../export/index.js';
import type { TrackExporter } from '../station.js';

export const trackExporter: TrackExporter = async ({ store, request, file, onProgress, labels }) => {
  const result = await writeTrackExport(store, request, {
    path: file,
    labels,
    onProgress: (progress) => {
      if (!progress.done) onProgress(progress.written, progress.total);
    },
  });
  return { count: result.count, bytes: result.bytes };
};
