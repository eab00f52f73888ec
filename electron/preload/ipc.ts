/**
 * Typed IPC wrappers for the preload: the only file that touches `ipcRenderer`. The page never sees it: it gets
 * one function per channel through the context bridge.
 */
import { ipcRenderer, type IpcRendererEvent } from 'electron';
import type { TypedInvoke, TypedSubscribe } from '../../contract/bridge.js';
import type { CallReply } from '../../contract/call-reply.js';
import { eventChannel, invokeChannel } from '../../contract/channels.js';
import { bridgeSafeError } from '../../contract/errors.js';

export const invoke: TypedInvoke = async (method, args) => {
  const reply = (await ipcRenderer.invoke(invokeChannel(method), ...args)) as CallReply;
  if (!reply.ok) throw bridgeSafeError(reply.error.code, reply.error.message);
  return reply.result as never;
};

export const subscribe: TypedSubscribe = (event, listener) => {
  const channel = eventChannel(event);
  const handler = (_event: IpcRendererEvent, payload: Parameters<typeof listener>[0]): void =>
    listener(payload);
  ipcRenderer.on(channel, handler);
  return () => {
    ipcRenderer.removeListener(channel, handler);
  };
};
