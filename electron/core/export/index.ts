export {
  writeTrackExport,
  validateExportRequest,
  exportFileName,
  ExportError,
  EXPORT_ERROR_CODES,
} from './write-export.js';
export type { ExportSource, WriteExportOptions, ExportErrorCode } from './write-export.js';
export { TRACK_FORMATS, renderAll } from './formats/index.js';
export type { ExportMeta, TrackFormat } from './formats/index.js';
export { toExportPoint } from './point.js';
export type { ExportPoint } from './point.js';
