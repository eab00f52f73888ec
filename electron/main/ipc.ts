/**
 * Typed IPC wrappers: the only file of the main process that touches `ipcMain`. Each handler is registered from
 * the channel map, checks its sender's frame URL, and hands the call to the host-neutral handler, which validates
 * the arguments and answers an envelope so the renderer gets the error's stable code.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Logger } from 'pino';
import {
  eventChannel,
  INVOKE_METHODS,
  invokeChannel,
  type EventName,
  type EventPayloads,
} from '../../contract/channels.js';
import type { StationApi } from '../../contract/station-api.js';
import { handleStationCall, refuse } from '../core/hosting/handle-call.js';
import { isTrustedSender } from './trust.js';

export function registerStationHandlers(
  station: StationApi,
  origins: ReadonlySet<string>,
  logger: Logger,
): () => void {
  for (const method of INVOKE_METHODS) {
    ipcMain.handle(invokeChannel(method), (event: IpcMainInvokeEvent, ...raw: unknown[]) => {
      const frameUrl = event.senderFrame?.url;
      if (!isTrustedSender(frameUrl, origins)) {
        logger.warn({ method, frameUrl }, 'IPC call from an untrusted frame refused');
        return refuse('forbidden_sender', 'this frame may not use the station API');
      }
      return handleStationCall(station, method, raw, logger);
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
