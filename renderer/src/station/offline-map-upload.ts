/**
 * Getting an .mbtiles file to the station: the desktop app opens a file dialog in its main process; in a browser
 * the file is uploaded to the browser host (XMLHttpRequest, because fetch reports no upload progress), then
 * imported by the id the host answers. Either way the result is the station's `importOfflineMap`.
 */
import type { OfflineMap } from '../../../contract/basemaps/active.js';
import { StationError } from '../../../contract/errors.js';
import type { StationApi } from '../../../contract/station-api.js';
import type { Crs } from '../../../protocol/fix-limits.js';
import { KEY_HEADER, UPLOAD_PATH } from '../../../contract/web-protocol.js';
import { readKey } from './web-client.js';

/** The desktop app picks the file itself; the browser needs a file input. */
export function picksFilesItself(): boolean {
  return window.lodestar !== undefined;
}

export function uploadMbtiles(file: File, onProgress: (fraction: number) => void): Promise<string> {
  const key =
    readKey(window.location, typeof sessionStorage === 'undefined' ? undefined : sessionStorage) ?? '';
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', UPLOAD_PATH);
    xhr.setRequestHeader(KEY_HEADER, key);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new StationError('host_unreachable', 'the upload did not reach the station'));
    xhr.onload = () => {
      let reply: { ok?: boolean; result?: { uploadId?: string }; error?: { code: string; message: string } };
      try {
        reply = JSON.parse(xhr.responseText) as typeof reply;
      } catch {
        reject(new StationError('host_unreachable', `HTTP ${xhr.status} without a station reply`));
        return;
      }
      if (reply.ok && reply.result?.uploadId) resolve(reply.result.uploadId);
      else reject(new StationError(reply.error?.code ?? 'internal', reply.error?.message ?? 'upload failed'));
    };
    xhr.send(file);
  });
}

export async function importOfflineMap(
  station: StationApi,
  file: File | undefined,
  crs: Crs | undefined,
  onProgress: (fraction: number) => void,
): Promise<OfflineMap> {
  const chosen = crs ? { crs } : {};
  if (picksFilesItself()) return station.importOfflineMap({ pick: true, ...chosen });
  if (!file) throw new StationError('cancelled', 'no file was chosen');
  const uploadId = await uploadMbtiles(file, onProgress);
  return station.importOfflineMap({ uploadId, ...chosen });
}
