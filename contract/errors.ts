/**
 * The one error type of the station API. Both hosts pass its code through unchanged (the browser host in its
 * HTTP reply, Electron in the IPC envelope), and the renderer translates the code, never the message.
 */
export const STATION_ERROR_CODES = [
  'bad_request',
  'forbidden_member',
  'not_watched',
  'watch_refused',
  'export_failed',
  'export_cancelled',
  'store_unavailable',
  'internal',
  'offline_map_invalid',
  'offline_map_crs_required',
  // The dispatcher closed the file dialog without choosing a file.
  'cancelled',
  // Host-level refusals (browser host and Electron IPC).
  'unauthorized',
  'forbidden_origin',
  'forbidden_sender',
  'not_found',
  'payload_too_large',
  // The renderer lost its host (the browser host's process ended or the network to it failed).
  'host_unreachable',
] as const;
export type StationErrorCode = (typeof STATION_ERROR_CODES)[number];

export class StationError extends Error {
  constructor(
    readonly code: StationErrorCode | (string & {}),
    message: string,
  ) {
    super(message);
    this.name = 'StationError';
  }
}

const CODE_PATTERN = /^[A-Za-z0-9_]{1,64}$/;
/** Electron's context bridge keeps only an error's message, so the preload puts the code in front of it. */
const CODE_PREFIX = /^\[([A-Za-z0-9_]{1,64})\] /;

/** The code to show for any thrown value: a coded error keeps its code, anything else is `internal`. */
export function errorCodeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string' && CODE_PATTERN.test(code)) return code;
  }
  if (error instanceof Error) {
    const prefixed = CODE_PREFIX.exec(error.message);
    if (prefixed?.[1]) return prefixed[1];
  }
  return 'internal';
}

/** The error as it must cross the context bridge: the code survives inside the message. */
export function bridgeSafeError(code: string, message: string): StationError {
  return new StationError(code, `[${code}] ${message}`);
}

/** The message without the bridge's code prefix, for logs and details under a translated text. */
export function errorMessageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(CODE_PREFIX, '');
}

export function isStationErrorCode(code: string): code is StationErrorCode {
  return (STATION_ERROR_CODES as readonly string[]).includes(code);
}
