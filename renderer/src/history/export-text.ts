/**
 * What the export message names. In the browser host the file sits on the station machine (its exports folder):
 * that path means nothing to the dispatcher and shows the station's layout, so the page names the file only. In
 * Electron the path is the one the dispatcher chose in the save dialog, so it is shown in full.
 */
import type { ExportResult } from '../../../contract/station-api.js';

export function exportedName(result: Pick<ExportResult, 'path' | 'downloadUrl'>): string {
  if (!result.downloadUrl) return result.path;
  const parts = result.path.split(/[\\/]/);
  return parts[parts.length - 1] || result.path;
}
