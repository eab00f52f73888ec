/**
 * The one way tests wait: for a fact (a row, a reply, a status), polled until it holds or a deadline passes.
 * Never a fixed sleep: a slow, shared machine makes fixed sleeps either flaky or needlessly long.
 */

export interface UntilOptions {
  timeoutMs?: number;
  /** How often the check runs. */
  everyMs?: number;
  /** Named in the timeout error, so a failing test says what it was waiting for. */
  what?: string;
}

/** Resolves with the first truthy value `check` returns; rejects after `timeoutMs` (default 10 s). */
export async function until<T>(
  check: () => T | undefined | null | false | 0 | '' | Promise<T | undefined | null | false | 0 | ''>,
  options: UntilOptions | number = {},
): Promise<T> {
  const {
    timeoutMs = 10_000,
    everyMs = 20,
    what,
  } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`${what ?? 'condition'} not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Resolves once `count()` has stayed the same for `quietMs`: for proving that nothing more arrives (no duplicate,
 * no late fix) after the expected facts were already awaited with `until`.
 */
export async function settled(count: () => number, quietMs = 300, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = count();
  let stableSince = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = count();
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= quietMs) {
      return now;
    }
    if (Date.now() > deadline) throw new Error(`count kept changing for ${timeoutMs} ms`);
  }
}
