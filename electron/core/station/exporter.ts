/**
 * The station's track exporter: adapts the export writers (electron/core/export/) to the station's
 * `TrackExporter` port.
 */
import { StationError } from '../errors.js';
import type { TrackExporter } from '../station.js';

export const trackExporter: TrackExporter = async () => {
  throw new StationError('export_failed', 'exports are not available in this build yet');
};
