import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../protocol/messages.js';
import { auditStation } from './station-audit.js';

const fix = (offset: number, epoch = 'e1', uid = '7') =>
  ({ type: 'fix', fix: { uid, lat: 1, lon: 1, ts: offset, crs: 'wgs84', epoch, offset } }) as ServerMessage;
const epochChanged = (uid = '7') =>
  ({
    type: 'watched',
    uid,
    latest: null,
    catchup: { status: 'not_recoverable', reason: 'epoch_changed' },
  }) as ServerMessage;

describe('auditStation', () => {
  it.each([
    ['every fix in order', [fix(1), fix(2), fix(3)], [], 0],
    ['another member is ignored', [fix(1), fix(5, 'e1', '8'), fix(2)], [], 0],
    ['told, then a new epoch from anywhere', [fix(1), epochChanged(), fix(4, 'e2'), fix(5, 'e2')], [], 1],
    ['a hole', [fix(1), fix(4)], ['hole: offsets 2..3 never arrived'], 0],
    ['a repeat', [fix(1), fix(2), fix(2)], ['repeat of offset 2 after 2'], 0],
    ['an untold epoch switch', [fix(1), fix(1, 'e2')], ['silent epoch switch e1:1 -> e2:1'], 0],
    ['an untold start past 1', [fix(3)], ['first fix at offset 3, not 1, untold'], 0],
    [
      'a hole after the new epoch began',
      [epochChanged(), fix(1, 'e2'), fix(3, 'e2')],
      ['hole: offsets 2..2 never arrived'],
      1,
    ],
  ])('%s', (_name, messages, problems, epochChanges) => {
    const audit = auditStation(messages, '7');
    expect(audit.problems).toEqual(problems);
    expect(audit.epochChanges).toBe(epochChanges);
  });
});
