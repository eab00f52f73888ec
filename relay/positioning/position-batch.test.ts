/**
 * positionBatch (position-batch.lua) against a real, private redis-server, interleaved with single `position`
 * calls (the PHP path): one history per member, offsets by one, each idempotency key once, one published array per
 * batch; and the parsing of such arrays on the positioned channel.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { PositionedFix } from '../../protocol/fix.js';
import { parsePositionedMessages } from './positioned-message.js';
import { MAX_POSITION_BATCH, PositioningError } from './positioning.js';
import { fixOf, offsetsOf, range, T0, usePrivatePositioning } from './test-fixture.js';

const f = usePrivatePositioning();

describe('positionBatch', () => {
  it('positions a batch like single calls, refuses bad items alone and publishes the batch once', async () => {
    const p = f.fresh();
    const subscriber = new Redis(f.server.url);
    const published: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => published.push(message));
    await subscriber.subscribe(p.options.positionedChannel);

    await p.position(fixOf('a', 1), 'k1');
    const outcomes = await p.positionBatch([
      { fix: fixOf('a', 1), idempotencyKey: 'k1' }, // positioned already by the single call
      { fix: fixOf('a', 2), idempotencyKey: 'k2' },
      { fix: fixOf('b', 1), idempotencyKey: 'k1' }, // same key, other member: its own
      { fix: { ...fixOf('a', 3), lat: 91 }, idempotencyKey: 'k3' }, // refused before Redis
      { fix: fixOf('a', 3), idempotencyKey: '' }, // refused before Redis
      { fix: fixOf('a', 4), idempotencyKey: 'k4' },
      { fix: fixOf('a', 4), idempotencyKey: 'k4' }, // the same key twice in one batch
    ]);
    expect(outcomes.slice(0, 3)).toEqual(['duplicate', 'positioned', 'positioned']);
    expect(outcomes[3]).toBeInstanceOf(PositioningError);
    expect((outcomes[4] as PositioningError).code).toBe('bad_field');
    expect(outcomes.slice(5)).toEqual(['positioned', 'duplicate']);
    await p.position(fixOf('a', 5), 'k5');

    await expect.poll(() => published.length).toBe(3);
    const [single, batch] = published.map((m) => parsePositionedMessages(m));
    expect(single?.fixes).toHaveLength(1);
    expect(batch?.rejected).toEqual([]);
    expect(batch?.fixes.map((x) => [x.uid, x.offset])).toEqual([
      ['a', 2],
      ['b', 1],
      ['a', 3],
    ]);
    const all = published.flatMap((m) => parsePositionedMessages(m).fixes).filter((x) => x.uid === 'a');
    expect(offsetsOf(all)).toEqual(range(1, 4));
    expect(new Set(all.map((x) => x.epoch)).size).toBe(1);
    expect(all[1]?.lon).toBe(120.123456789);
    expect((await p.catchup('a', { epoch: all[0]?.epoch ?? '', offset: 0 })).fixes).toEqual(all);
    subscriber.disconnect();
  });

  it('takes at most MAX_POSITION_BATCH fixes in one call', async () => {
    const p = f.fresh();
    const items = range(1, MAX_POSITION_BATCH + 1).map((i) => ({
      fix: fixOf('c', i),
      idempotencyKey: `k${i}`,
    }));
    await expect(p.positionBatch(items)).rejects.toMatchObject({ code: 'bad_field' });
    const outcomes = await p.positionBatch(items.slice(0, MAX_POSITION_BATCH));
    expect(outcomes.every((o) => o === 'positioned')).toBe(true);
    expect((await p.latest('c'))?.offset).toBe(MAX_POSITION_BATCH);
  });

  it('keeps each member to maxLen within one batch and across batches (stream and time index)', async () => {
    const p = f.fresh({ maxLen: 5 });
    const items = (from: number, to: number) =>
      range(from, to).map((i) => ({ fix: fixOf(i % 2 ? 'e' : 'g', i), idempotencyKey: `k${i}` }));
    await p.positionBatch(items(1, 40));
    await p.positionBatch(items(41, 60));
    for (const uid of ['e', 'g']) {
      const keys = `${p.options.keyPrefix}{${uid}}`;
      expect(await f.redis.xlen(`${keys}:fixes`)).toBe(5);
      // Every fix in order (ts grows): the time index, which holds only out-of-order fixes, stays empty.
      expect(await f.redis.zcard(`${keys}:bytime`)).toBe(0);
      const { catchup } = await p.catchup(uid, { epoch: (await p.latest(uid))?.epoch ?? '', offset: 0 });
      expect(catchup).toMatchObject({
        status: 'not_recoverable',
        reason: 'beyond_window',
        oldest: 26,
        latest: 30,
      });
    }
  });

  it('leaves each member as one call per fix would: several fixes of a member, out of order, trimmed', async () => {
    // A batch runs positionOne for each of its fixes in one call, the time read once: what Redis holds afterwards
    // (meta hash, stream, time index) must be what one call per fix leaves, however many fixes a member has in it.
    const batched = f.fresh({ maxLen: 4 });
    const single = f.fresh({ maxLen: 4 });
    const ts = [1, 3, 2, 5, 4, 6, 9, 7, 8].map((i) => T0 + i * 1000);
    const items = ts.flatMap((t, i) => [
      { fix: fixOf('h', i, t), idempotencyKey: `h${i}` },
      { fix: fixOf('j', i, T0 + i * 1000), idempotencyKey: `j${i}` },
      ...(i % 3 === 0 ? [{ fix: fixOf('h', i, t), idempotencyKey: `h${i}` }] : []), // a repeat: duplicate
    ]);
    const outcomes = await batched.positionBatch(items);
    for (const item of items) await single.position(item.fix, item.idempotencyKey);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(3);

    const state = async (prefix: string, uid: string) => {
      const keys = `${prefix}{${uid}}`;
      const meta = await f.redis.hgetall(`${keys}:meta`);
      const epoch = meta.epoch ?? '';
      const entries = (await f.redis.xrange(`${keys}:fixes`, '-', '+')).map(([id, fields]) => [
        id.split('-')[0],
        fields.map((x) => x.replace(epoch, 'E')),
      ]);
      return {
        meta: {
          ...meta,
          epoch: 'E',
          fix: meta.fix?.replace(epoch, 'E'),
          headArrived: 'now',
          expiresAt: 'later',
        },
        entries,
        index: await f.redis.zrange(`${keys}:bytime`, 0, -1),
      };
    };
    for (const uid of ['h', 'j']) {
      const got = await state(batched.options.keyPrefix, uid);
      expect(got).toEqual(await state(single.options.keyPrefix, uid));
      expect(got.entries.map(([offset]) => offset)).toEqual(['6', '7', '8', '9']);
    }
    expect((await state(batched.options.keyPrefix, 'h')).index.length).toBeGreaterThan(0);
  });

  it('works again after Redis forgot its scripts (NOSCRIPT)', async () => {
    const p = f.fresh();
    await p.positionBatch([{ fix: fixOf('d', 1), idempotencyKey: 'k1' }]);
    await f.redis.script('FLUSH');
    expect(await p.positionBatch([{ fix: fixOf('d', 2), idempotencyKey: 'k2' }])).toEqual(['positioned']);
    expect((await p.latest('d'))?.offset).toBe(2);
  });
});

describe('parsePositionedMessages', () => {
  const good = (offset: number): PositionedFix => ({ ...fixOf('a', offset), epoch: 'e1', offset });
  it.each([
    ['one fix', JSON.stringify(good(1)), [1], []],
    ['an array', JSON.stringify([good(1), good(2)]), [1, 2], []],
    ['an array with a bad element', JSON.stringify([good(1), { uid: 'a' }, good(3)]), [1, 3], ['bad_field']],
    ['a fix without a position', JSON.stringify(fixOf('a', 1)), [], ['bad_field']],
    ['not JSON', '[{', [], ['not_json']],
    ['too many fixes', JSON.stringify(range(1, MAX_POSITION_BATCH + 1).map(good)), [], ['too_large']],
    ['a too large single fix', JSON.stringify({ ...good(1), pad: 'x'.repeat(5000) }), [], ['too_large']],
  ])('%s', (_name, message, offsets, reasons) => {
    const parsed = parsePositionedMessages(message);
    expect(offsetsOf(parsed.fixes)).toEqual(offsets);
    expect(parsed.rejected.map((r) => r.reason)).toEqual(reasons);
  });
});
