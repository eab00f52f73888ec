/**
 * Typed IPC wrappers: the only file of the main process that touches `ipcMain`. Each handler is registered from
 * the channel map, checks its sender's frame URL, and hands the call to the host-neutral handler, which validates
 * the arguments and answers an envelope so the renderer gets the error's stable code.
 */
import { dialog, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Logger } from 'pino';
import {
  eventChannel,
  INVOKE_METHODS,
  invokeChannel,
  type EventName,
  type EventPayloads,
} from '../../contract/channels.js';
import { withHostTileUrls } from '../../contract/basemaps/active.js';
import type { OfflineMapImport, StationSettings } from '../../contract/station-api.js';
import type { Station } from '../core/station.js';
import { handleStationCall, refuse } from '../core/hosting/handle-call.js';
import { parseInvokeArgs } from '../core/hosting/invoke-args.js';
import { APP_ORIGIN, APP_TILES_PATH, isTrustedSender } from './trust.js';

/** Tile URLs of the settings pointing at app://lodestar/tiles/ (served by app-protocol.ts). */
function decorateSettings(settings: StationSettings): StationSettings {
  return settings.activeBasemap
    ? {
        ...settings,
        activeBasemap: withHostTileUrls(settings.activeBasemap, `${APP_ORIGIN}${APP_TILES_PATH}`),
      }
    : settings;
}

/**
 * The desktop's way to import an offline map: a file dialog here, a copy into the station's incoming folder, then
 * the same core import the browser host's upload ends in.
 */
async function pickedImport(station: Station, raw: unknown[]): Promise<unknown[] | undefined> {
  const args = parseInvokeArgs('importOfflineMap', raw);
  if (!args.ok || !('pick' in args.value[0])) return raw;
  const request = args.value[0];
  const picked = await dialog.showOpenDialog({
    properties: ['openFile'],
    filters: [{ name: 'MBTiles', extensions: ['mbtiles'] }],
  });
  const path = picked.filePaths[0];
  if (picked.canceled || !path) return undefined;
  const uploadId = await station.basemaps.offline.stage(path);
  const next: OfflineMapImport = {
    uploadId,
    ...(request.crs ? { crs: request.crs } : {}),
    ...(request.name ? { name: request.name } : {}),
  };
  return [next];
}

export function registerStationHandlers(
  station: Station,
  origins: ReadonlySet<string>,
  logger: Logger,
): () => void {
  for (const method of INVOKE_METHODS) {
    ipcMain.handle(invokeChannel(method), async (event: IpcMainInvokeEvent, ...raw: unknown[]) => {
      const frameUrl = event.senderFrame?.url;
      if (!isTrustedSender(frameUrl, origins)) {
        logger.warn({ method, frameUrl }, 'IPC call from an untrusted frame refused');
        return refuse('forbidden_sender', 'this frame may not use the station API');
      }
      if (method === 'importOfflineMap') {
        const args = await pickedImport(station, raw);
        if (!args) return refuse('cancelled', 'no file was chosen');
        return handleStationCall(station, method, args, logger);
      }
      return handleStationCall(station, method, raw, logger, (m, result) =>
        m === 'getSettings' || m === 'updateSettings' ? decorateSettings(result as StationSettings) : result,
      );
    });
  }
  return () => {
    for (const method of INVOKE_METHODS) ipcMain.removeHandler(invokeChannel(method));
  };
}

/** Push one station event to a window, if it is still there. */
export function sendStationEvent<E extends EventName>(
  target: WebContents,
  event: E,
  payload: EventPayloads[E],
): void {
  if (!target.isDestroyed()) target.send(eventChannel(event), payload);
}
