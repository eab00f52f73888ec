import { describe, expect, it } from 'vitest';
import type { FixPosition } from '../../protocol/fix.js';
import { detectGap, type GapVerdict } from './gap.js';

describe('detectGap', () => {
  it.each<[string, FixPosition | undefined, FixPosition, GapVerdict]>([
    ['nothing held', undefined, { epoch: 'E', offset: 40 }, { kind: 'first' }],
    ['next offset', { epoch: 'E', offset: 4 }, { epoch: 'E', offset: 5 }, { kind: 'next' }],
    ['same offset again', { epoch: 'E', offset: 5 }, { epoch: 'E', offset: 5 }, { kind: 'duplicate' }],
    ['older offset', { epoch: 'E', offset: 5 }, { epoch: 'E', offset: 2 }, { kind: 'duplicate' }],
    [
      'one missing',
      { epoch: 'E', offset: 5 },
      { epoch: 'E', offset: 7 },
      { kind: 'gap', epoch: 'E', from: 6, to: 6 },
    ],
    [
      'many missing',
      { epoch: 'E', offset: 5 },
      { epoch: 'E', offset: 105 },
      { kind: 'gap', epoch: 'E', from: 6, to: 104 },
    ],
    [
      'new epoch from its start',
      { epoch: 'E', offset: 500 },
      { epoch: 'F', offset: 1 },
      { kind: 'epoch_changed' },
    ],
    [
      'new epoch, its first fixes missed',
      { epoch: 'E', offset: 500 },
      { epoch: 'F', offset: 4 },
      { kind: 'epoch_changed', missing: { epoch: 'F', from: 1, to: 3 } },
    ],
  ])('%s', (_name, held, incoming, expected) => {
    expect(detectGap(held, incoming)).toEqual(expected);
  });
});
