/**
 * Typed IPC wrappers for the preload: the only file that touches `ipcRenderer`. The page never sees it: it gets
 * one function per channel through the context bridge.
 */
import { ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  eventChannel,
  invokeChannel,
  type EventName,
  type EventPayloads,
  type InvokeMethod,
} from '../core/channels/map.js';
import type { IpcEnvelope } from '../main/ipc.js';

/** An error from the station, carrying its stable code (also in the message: the bridge may drop extra fields). */
function stationError(code: string, message: string): Error {
  const error = new Error(`[${code}] ${message}`) as Error & { code: string };
  error.code = code;
  return error;
}

export async function invoke(method: InvokeMethod, args: unknown[]): Promise<never> {
  const envelope = (await ipcRenderer.invoke(invokeChannel(method), ...args)) as IpcEnvelope;
  if (!envelope.ok) throw stationError(envelope.error.code, envelope.error.message);
  return envelope.result as never;
}

export function subscribe<E extends EventName>(
  event: E,
  listener: (payload: EventPayloads[E]) => void,
): () => void {
  const channel = eventChannel(event);
  const handler = (_event: IpcRendererEvent, payload: EventPayloads[E]): void => listener(payload);
  ipcRenderer.on(channel, handler);
  return () => {
    ipcRenderer.removeListener(channel, handler);
  };
}
