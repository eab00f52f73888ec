import { describe, expect, it } from 'vitest';
import { decideDelivery } from './backpressure.js';

const limits = { softBytes: 1000, hardBytes: 10_000, slowTimeoutMs: 5000 };

describe('decideDelivery', () => {
  it.each([
    ['idle socket, empty outbox', 0, 0, undefined, 'send'],
    ['at the soft limit', 1000, 0, undefined, 'send'],
    ['above the soft limit', 1001, 0, undefined, 'hold'],
    ['below soft but fixes already waiting (keeps order)', 0, 200, 0, 'hold'],
    ['at the hard limit', 9000, 1000, 0, 'hold'],
    ['past the hard limit', 9000, 1001, 0, 'close'],
    ['past the hard limit in one write, not behind before', 10_001, 0, undefined, 'close'],
    ['behind for just under the timeout', 2000, 100, -4999, 'hold'],
    ['behind for longer than the timeout', 2000, 100, -5001, 'close'],
  ] as const)('%s → %s', (_name, buffered, outbox, behindOffset, expected) => {
    const now = 100_000;
    if (behindOffset === undefined) {
      // StationConnection.push reads the clock only when the station is behind: without behindSince, `now` must not matter.
      for (const other of [0, 1, Number.MAX_SAFE_INTEGER]) {
        expect(
          decideDelivery(
            { bufferedBytes: buffered, outboxBytes: outbox, behindSince: undefined, now: other },
            limits,
          ),
        ).toBe(expected);
      }
    }
    expect(
      decideDelivery(
        {
          bufferedBytes: buffered,
          outboxBytes: outbox,
          behindSince: behindOffset === undefined ? undefined : now + behindOffset,
          now,
        },
        limits,
      ),
    ).toBe(expected);
  });
});
