/**
 * Shutdown waits that end. ioredis keeps a command sent while its connection is down in an offline queue and
 * answers it only after a reconnect, so at shutdown an UNSUBSCRIBE or QUIT to a Redis that is already gone would
 * wait forever (and `quit()` queues behind anything else waiting there). Closing gives the polite goodbye this
 * long, then cuts the connection with `disconnect()`.
 */
export const REDIS_GOODBYE_MS = 1000;

/**
 * How long a starting relay waits for its subscription before it takes stations: a fix published between a
 * station's watch and the SUBSCRIBE reaching Redis would never be delivered live (pub/sub keeps nothing), and with
 * the subscriber connection still connecting that window was seen to last seconds on a loaded machine. With Redis
 * away the relay starts anyway after this long, degraded, and ioredis subscribes once Redis is back.
 */
export const SUBSCRIBE_WAIT_MS = 2000;

/** Waits for `work` to settle (either way) or for `ms`, whichever comes first: true when it settled in time. */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = work.then(
    () => true as const,
    () => true as const,
  );
  try {
    return await Promise.race([settled, expired]);
  } finally {
    clearTimeout(timer);
  }
}
