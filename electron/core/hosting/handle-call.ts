/**
 * The body of a station call, the same for both hosts: check the method name, validate the untrusted arguments,
 * run the call, and answer an envelope with a stable code. The Electron IPC handler and the browser host's HTTP
 * route are thin shells around it, so this is what Node tests cover.
 */
import type { Logger } from 'pino';
import type { CallReply } from '../../../contract/call-reply.js';
import { isInvokeMethod, type InvokeMethod } from '../../../contract/channels.js';
import { errorCodeOf, errorMessageOf } from '../../../contract/errors.js';
import type { StationApi } from '../../../contract/station-api.js';
import { parseInvokeArgs } from './invoke-args.js';

export function refuse(code: string, message: string): CallReply<never> {
  return { ok: false, error: { code, message } };
}

export async function handleStationCall(
  station: StationApi,
  method: string,
  rawArgs: unknown,
  logger: Logger,
  /** A host's own touch on a successful result (the browser host adds a download URL to an export). */
  decorate?: (method: InvokeMethod, result: unknown) => unknown,
): Promise<CallReply> {
  if (!isInvokeMethod(method)) return refuse('not_found', `no station method "${method.slice(0, 40)}"`);
  const args = parseInvokeArgs(method, rawArgs);
  if (!args.ok) return refuse('bad_request', args.message);
  try {
    const fn = station[method] as (...a: unknown[]) => Promise<unknown>;
    const result = await fn.apply(station, args.value);
    return { ok: true, result: decorate ? decorate(method, result) : result };
  } catch (error) {
    const code = errorCodeOf(error);
    if (code === 'internal') logger.error({ err: error, method }, 'station call failed');
    return refuse(code, errorMessageOf(error));
  }
}
