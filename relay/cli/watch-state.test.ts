import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readWatchState, recordPosition, writeWatchState, type WatchState } from './watch-state.js';

const dir = mkdtempSync(join(tmpdir(), 'lodestar-watch-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('watch state', () => {
  it.each([
    ['a first fix', {}, { uid: '1', epoch: 'e', offset: 3 }, true, { '1': { epoch: 'e', offset: 3 } }],
    [
      'a later offset',
      { '1': { epoch: 'e', offset: 3 } },
      { uid: '1', epoch: 'e', offset: 4 },
      true,
      { '1': { epoch: 'e', offset: 4 } },
    ],
    [
      'an older offset',
      { '1': { epoch: 'e', offset: 3 } },
      { uid: '1', epoch: 'e', offset: 2 },
      false,
      { '1': { epoch: 'e', offset: 3 } },
    ],
    [
      'a new epoch',
      { '1': { epoch: 'e', offset: 9 } },
      { uid: '1', epoch: 'f', offset: 1 },
      true,
      { '1': { epoch: 'f', offset: 1 } },
    ],
    ['an unpositioned fix', {}, { uid: '1' }, false, {}],
  ] as const)('%s', (_name, before, fix, changed, after) => {
    const state: WatchState = structuredClone(before) as WatchState;
    expect(recordPosition(state, fix)).toBe(changed);
    expect(state).toEqual(after);
  });

  it('round-trips through the file, and starts empty without one', () => {
    const file = join(dir, 'state.json');
    expect(readWatchState(file)).toEqual({});
    writeWatchState(file, { '42': { epoch: 'e1', offset: 7 } });
    expect(readWatchState(file)).toEqual({ '42': { epoch: 'e1', offset: 7 } });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ '42': { epoch: 'e1', offset: 7 } });
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['not a state', '{"42":{"epoch":"e"}}', /not a watch state file/],
    ['a bad uid', '{"a b":{"epoch":"e","offset":1}}', /not a watch state file/],
  ])('refuses a file that is %s', (_name, text, message) => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, text);
    expect(() => readWatchState(file)).toThrow(message);
  });
});
