/**
 * Where an export goes in the desktop app: the dispatcher chooses, starting from the station's suggested name
 * (who, which period, never colliding) in the exports folder. The browser host has no dialog: it downloads.
 */
import { dialog, type BrowserWindow } from 'electron';
import { extname } from 'node:path';
import type { ChooseExportPath } from '../core/station.js';

const FILTERS: Record<string, { name: string; extensions: string[] }> = {
  '.gpx': { name: 'GPX', extensions: ['gpx'] },
  '.kml': { name: 'KML', extensions: ['kml'] },
  '.geojson': { name: 'GeoJSON', extensions: ['geojson', 'json'] },
  '.csv': { name: 'CSV', extensions: ['csv'] },
};

export function saveDialogChooser(window: () => BrowserWindow | undefined): ChooseExportPath {
  return async (suggestedPath) => {
    const filter = FILTERS[extname(suggestedPath)];
    const options = { defaultPath: suggestedPath, ...(filter && { filters: [filter] }) };
    const parent = window();
    const result = parent
      ? await dialog.showSaveDialog(parent, options)
      : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? undefined : result.filePath;
  };
}
