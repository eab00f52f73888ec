/** Errors the station API returns to a renderer, with a stable code both hosts pass through unchanged. */
export const STATION_ERROR_CODES = [
  'bad_request',
  'forbidden_member',
  'not_watched',
  'export_failed',
  'store_unavailable',
  'internal',
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

/** The code to show for any thrown value: a coded error keeps its code, anything else is `internal`. */
export function errorCodeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(code)) return code;
  }
  return 'internal';
}
