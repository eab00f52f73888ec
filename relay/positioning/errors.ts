/**
 * The one error positioning raises. Every failure leaves as a PositioningError with a stable code: the scripts'
 * own refusals (`lodestar_bad_*`) and checks of the caller's input are bad input, anything else from Redis
 * (connection lost, OOM, timeout, an aborted transaction) is `unavailable`.
 */
export type PositioningErrorCode = 'bad_field' | 'unavailable';

/** A refused request (bad input) or a Redis failure; `code` is one of protocol/codes.ts `ERROR_CODES`. */
export class PositioningError extends Error {
  constructor(
    readonly code: PositioningErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export async function guarded<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof PositioningError) throw error;
    throw refusal(error instanceof Error ? error.message : String(error), error);
  }
}

export function refusal(message: string, cause?: unknown): PositioningError {
  const code = /lodestar_bad_/.test(message) ? 'bad_field' : 'unavailable';
  return new PositioningError(code, message, cause === undefined ? undefined : { cause });
}

/** The replies of a MULTI/EXEC, or `unavailable` when it was aborted or one of its commands failed. */
export function results(replies: [Error | null, unknown][] | null): unknown[] {
  if (replies === null) throw new PositioningError('unavailable', 'the Redis transaction was aborted');
  return replies.map(([error, value]) => {
    if (error) throw new PositioningError('unavailable', error.message, { cause: error });
    return value;
  });
}
