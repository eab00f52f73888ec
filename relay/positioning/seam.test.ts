import { describe, expect, it } from 'vitest';
import type { FixPosition, PositionedFix } from '../../protocol/fix.js';
import { EPOCH_START, SeamMerger } from './seam.js';

const fix = (offset: number, epoch = 'E', uid = 'm1'): PositionedFix => ({
  uid,
  lat: 30,
  lon: 120,
  ts: 1_700_000_000_000 + offset,
  crs: 'gcj02',
  epoch,
  offset,
});
const offsets = (fixes: PositionedFix[]) => fixes.map((f) => `${f.epoch}${f.offset}`);

describe('SeamMerger.finishReplay', () => {
  it.each<[string, FixPosition | undefined, number[], PositionedFix[], string[]]>([
    [
      'live fixes overlap the replay',
      { epoch: 'E', offset: 4 },
      [5, 6, 7],
      [fix(6), fix(7), fix(8), fix(9)],
      ['E5', 'E6', 'E7', 'E8', 'E9'],
    ],
    ['live fixes all newer', { epoch: 'E', offset: 4 }, [5, 6], [fix(7), fix(8)], ['E5', 'E6', 'E7', 'E8']],
    [
      'live fixes all inside the replay',
      { epoch: 'E', offset: 4 },
      [5, 6, 7],
      [fix(5), fix(6)],
      ['E5', 'E6', 'E7'],
    ],
    ['nothing buffered', { epoch: 'E', offset: 4 }, [5, 6], [], ['E5', 'E6']],
    [
      'empty replay (live): buffered after held only',
      { epoch: 'E', offset: 6 },
      [],
      [fix(5), fix(6), fix(7)],
      ['E7'],
    ],
    ['no held position: every buffered fix', undefined, [], [fix(1), fix(2)], ['E1', 'E2']],
    [
      'buffered duplicate of itself',
      { epoch: 'E', offset: 4 },
      [5],
      [fix(6), fix(6), fix(7)],
      ['E5', 'E6', 'E7'],
    ],
    [
      'epoch changed: new-epoch fixes follow the held old epoch',
      { epoch: 'OLD', offset: 90 },
      [],
      [fix(1), fix(2)],
      ['E1', 'E2'],
    ],
  ])('%s', (_name, held, replayed, buffered, expected) => {
    const merger = new SeamMerger();
    merger.beginReplay('m1');
    for (const f of buffered) expect(merger.live(f)).toEqual([]);
    const { replay, live } = merger.finishReplay(
      'm1',
      replayed.map((o) => fix(o)),
      held,
    );
    expect(offsets(replay)).toEqual(expected.slice(0, replayed.length));
    expect(offsets([...replay, ...live])).toEqual(expected);
  });

  it('sends the buffered fixes of every epoch once, and continues from the replayed epoch', () => {
    // A re-catch-up that took several tries across two Redis restarts: fixes of the epoch in between (G) were only
    // ever buffered, those of the current one (F) are replayed and were buffered too.
    const merger = new SeamMerger();
    merger.beginReplay('m1', { epoch: 'E', offset: 9 });
    for (const f of [fix(1, 'G'), fix(2, 'G'), fix(1, 'F'), fix(2, 'F'), fix(3, 'F')]) merger.live(f);
    const { replay, live } = merger.finishReplay('m1', [fix(1, 'F'), fix(2, 'F')], { epoch: 'F', offset: 0 });
    expect(offsets(replay)).toEqual(['F1', 'F2']);
    expect(offsets(live)).toEqual(['G1', 'G2', 'F3']);
    expect(merger.resumeFrom('m1')).toEqual({ epoch: 'F', offset: 3 });
    expect(offsets(merger.live(fix(2, 'F')))).toEqual([]);
    expect(offsets(merger.live(fix(4, 'F')))).toEqual(['F4']);
  });

  it('continues from the replayed epoch when only older epochs were buffered', () => {
    const merger = new SeamMerger();
    merger.beginReplay('m1');
    for (const f of [fix(1, 'G'), fix(2, 'G')]) merger.live(f);
    const { live } = merger.finishReplay('m1', [fix(1, 'F')], { epoch: 'F', offset: 0 });
    expect(offsets(live)).toEqual(['G1', 'G2']);
    expect(merger.resumeFrom('m1')).toEqual({ epoch: 'F', offset: 1 });
  });

  it('keeps a fix not sent now only for a member being caught up', () => {
    const merger = new SeamMerger();
    expect(merger.keepIfReplaying(fix(1))).toBe(false);
    merger.beginReplay('m1', { epoch: 'E', offset: 1 });
    // The replay was read before fix 3 was positioned; fix 3 arrived while the relay was not sending.
    expect(merger.keepIfReplaying(fix(3))).toBe(true);
    const { replay, live } = merger.finishReplay('m1', [fix(2)], { epoch: 'E', offset: 1 });
    expect(offsets([...replay, ...live])).toEqual(['E2', 'E3']);
  });

  it('is live after the replay: passes newer fixes, drops repeats', () => {
    const merger = new SeamMerger();
    merger.beginReplay('m1');
    merger.finishReplay('m1', [fix(1), fix(2)], { epoch: 'E', offset: 0 });
    expect(merger.isReplaying('m1')).toBe(false);
    expect(offsets(merger.live(fix(2)))).toEqual([]);
    expect(offsets(merger.live(fix(3)))).toEqual(['E3']);
    expect(offsets(merger.live(fix(1, 'F')))).toEqual(['F1']);
    expect(merger.lastSent('m1')).toEqual({ epoch: 'F', offset: 1 });
    expect(merger.lastSent('other')).toBeUndefined();
  });

  it('buffers only the member being replayed', () => {
    const merger = new SeamMerger();
    merger.beginReplay('m1');
    expect(merger.live(fix(1, 'E', 'm2'))).toHaveLength(1);
    expect(merger.live(fix(1))).toEqual([]);
    expect(merger.isReplaying('m1')).toBe(true);
  });

  it('tells a re-catch-up where to start: the last sent, the reported, or the epoch start', () => {
    const merger = new SeamMerger();
    merger.beginReplay('m1');
    expect(merger.resumeFrom('m1')).toBeUndefined(); // being caught up already
    merger.report('m1', EPOCH_START); // Redis held nothing of the member
    merger.finishReplay('m1', []);
    expect(merger.resumeFrom('m1')).toBe(EPOCH_START);
    expect(merger.lastSent('m1')).toBeUndefined();
    merger.live(fix(1));
    expect(merger.resumeFrom('m1')).toEqual({ epoch: 'E', offset: 1 });
    merger.report('m2', { epoch: 'E', offset: 7 });
    merger.beginReplay('m2');
    merger.finishReplay('m2', []);
    expect(merger.resumeFrom('m2')).toEqual({ epoch: 'E', offset: 7 });
  });

  it('keeps a re-catch-up’s start as the last sent position while its read is retried', () => {
    const merger = new SeamMerger();
    merger.live(fix(4));
    const token = merger.beginReplay('m1', { epoch: 'E', offset: 4 });
    expect(merger.lastSent('m1')).toEqual({ epoch: 'E', offset: 4 });
    expect(merger.resumeFrom('m1')).toBeUndefined();
    expect(merger.isCurrentReplay('m1', token)).toBe(true);
    merger.beginReplay('m1'); // the station watched it again
    expect(merger.isCurrentReplay('m1', token)).toBe(false);
  });

  it('forgets a member', () => {
    const merger = new SeamMerger();
    merger.live(fix(5));
    merger.forget('m1');
    expect(offsets(merger.live(fix(3)))).toEqual(['E3']);
  });
});
