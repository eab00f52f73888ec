import type { ExportFormat } from '../../../../contract/station-api.js';
import { csv } from './csv.js';
import { geojson } from './geojson.js';
import { gpx } from './gpx.js';
import { kml } from './kml.js';
import type { TrackFormat } from './format.js';

export const TRACK_FORMATS: Record<ExportFormat, TrackFormat> = { gpx, kml, geojson, csv };
export type { ExportMember, ExportMeta, ExportStop, TrackFormat } from './format.js';
export { renderAll } from './format.js';
