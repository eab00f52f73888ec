/**
 * Typed IPC wrappers: the only file of the main process that touches `ipcMain`. Each handler is registered from
 * the channel map, checks its sender's frame URL, validates its arguments, and answers an envelope so the
 * renderer gets the error's stable code (Electron would otherwise flatten a thrown error into a message).
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Logger } from 'pino';
import type { StationApi } from '../core/api.js';
import { parseInvokeArgs } from '../core/channels/args.js';
import {
  eventChannel,
  INVOKE_METHODS,
  invokeChannel,
  type EventName,
  type EventPayloads,
} from '../core/channels/map.js';
import { errorCodeOf } from '../core/errors.js';
import { isTrustedSender } from './trust.js';

export type IpcEnvelope =
  { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

export function registerStationHandlers(
  station: StationApi,
  origins: ReadonlySet<string>,
  logger: Logger,
): () => void {
  for (const method of INVOKE_METHODS) {
    ipcMain.handle(invokeChannel(method), async (event: IpcMainInvokeEvent, ...raw: unknown[]) => {
      const frameUrl = event.senderFrame?.url;
      if (!isTrustedSender(frameUrl, origins)) {
        logger.warn({ method, frameUrl }, 'IPC call from an untrusted frame refused');
        return envelopeError('forbidden_sender', 'this frame may not use the station API');
      }
      const args = parseInvokeArgs(method, raw);
      if (!args.ok) return envelopeError('bad_request', args.message);
      try {
        const fn = station[method] as (...a: unknown[]) => Promise<unknown>;
        return { ok: true, result: await fn.apply(station, args.value) } satisfies IpcEnvelope;
      } catch (error) {
        const code = errorCodeOf(error);
        if (code === 'internal') logger.error({ err: error, method }, 'station call failed');
        return envelopeError(code, error instanceof Error ? error.message : String(error));
      }
    });
  }
  return () => {
    for (const method of INVOKE_METHODS) ipcMain.removeHandler(invokeChannel(method));
  };
}

function envelopeError(code: string, message: string): IpcEnvelope {
  return { ok: false, error: { code, message } };
}

/** Push one station event to a window, if it is still there. */
export function sendStationEvent<E extends EventName>(
  target: WebContents,
  event: E,
  payload: EventPayloads[E],
): void {
  if (!target.isDestroyed()) target.send(eventChannel(event), payload);
}
