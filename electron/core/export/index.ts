export { writeTrackExport, validateExportRequest, ExportError, EXPORT_ERROR_CODES } from './write-export.js';
export type { ExportSource, WriteExportOptions, ExportErrorCode } from './write-export.js';
export { exportBaseName, periodPart, uniqueFileName } from './file-name.js';
export { TRACK_FORMATS, renderAll } from './formats/index.js';
export type { ExportMember, ExportMeta, ExportStop, TrackFormat } from './formats/index.js';
export { toExportPoint } from './point.js';
export type { ExportPoint } from './point.js';
