/**
 * Naming raw messages (prepareRawMessage): which idempotency key each gets, as a table. Pure: no Redis.
 */
import { describe, expect, it } from 'vitest';
import { idempotencyKeyFor } from './keys.js';
import { prepareRawMessage } from './raw-consumer.js';
import { RepeatCounter } from './repeat-counter.js';

const NOW = 1_700_000_000_000;
const untimed = '{"uid":42,"longitude":"113.3","latitude":"23.1"}';
const timed = `{"uid":42,"longitude":"113.3","latitude":"23.1","ts":${NOW - 5000}}`;
const emptyTs = '{"uid":42,"longitude":"113.3","latitude":"23.1","ts":""}';
const withCid = '{"uid":42,"longitude":"113.3","latitude":"23.1","cid":"c1"}';

const keyOf = (raw: string) => idempotencyKeyFor({ uid: '42' }, raw);

describe('prepareRawMessage', () => {
  it.each([
    // [name, the same bytes sent three times, keys expected]
    [
      'untimed: each repeat is a new fix',
      untimed,
      [keyOf(untimed), `${keyOf(untimed)}:2`, `${keyOf(untimed)}:3`],
    ],
    ['ts "" counts as untimed', emptyTs, [keyOf(emptyTs), `${keyOf(emptyTs)}:2`, `${keyOf(emptyTs)}:3`]],
    ['timed: the same fix again is a duplicate', timed, [keyOf(timed), keyOf(timed), keyOf(timed)]],
    ['cid: one fix however often sent', withCid, ['cid:42:c1', 'cid:42:c1', 'cid:42:c1']],
  ])('%s', (_name, raw, expected) => {
    const repeats = new RepeatCounter(60_000);
    const keys = [0, 1, 2].map((i) => {
      const prepared = prepareRawMessage(raw, NOW + i, repeats);
      if (prepared.status !== 'ready') throw new Error(prepared.message);
      return prepared.idempotencyKey;
    });
    expect(keys).toEqual(expected);
    // Only untimed messages without a cid are remembered by the counter.
    expect(repeats.size).toBe(raw === untimed || raw === emptyTs ? 1 : 0);
  });

  it('gives an untimed fix the receive time and a timed one its own, both integers', () => {
    const a = prepareRawMessage(untimed, NOW);
    const b = prepareRawMessage(timed, NOW);
    expect(a.status === 'ready' && a.fix.ts).toBe(NOW);
    expect(b.status === 'ready' && b.fix.ts).toBe(NOW - 5000);
  });

  it('keeps the rejection of a bad message and its reason', () => {
    expect(prepareRawMessage('{"uid":42,"longitude":"","latitude":"23"}', NOW)).toMatchObject({
      status: 'rejected',
    });
    expect(
      prepareRawMessage(`{"uid":42,"longitude":1,"latitude":2,"ts":${NOW + 2 * 86_400_000}}`, NOW),
    ).toMatchObject({
      status: 'rejected',
      reason: 'bad_ts',
    });
  });
});
