import { describe, expect, it } from 'vitest';
import type { WatchedMember } from '../../../contract/station-api.js';
import type { MemberState } from '../live/member-state.js';
import { orderMembers, type SortKey } from './member-order.js';
import { parseUidList } from './uid-list.js';

const m = (uid: string, label = uid): WatchedMember => ({ uid, label, color: '#000', addedAt: 0 });
const members = [m('10', 'Zhao'), m('9', 'alpha'), m('200', 'Bravo'), m('31', 'bravo 2')];
const lastTs: Record<string, number | undefined> = { '10': 500, '9': 900, '200': undefined, '31': 100 };
const states: Record<string, MemberState> = { '10': 'live', '9': 'stale', '200': 'none', '31': 'offline' };
const facts = { lastTs: (uid: string) => lastTs[uid], state: (uid: string) => states[uid] ?? 'none' };

describe('orderMembers', () => {
  it.each([
    ['id', '', ['9', '10', '31', '200']],
    ['label', '', ['9', '200', '31', '10']],
    ['lastSeen', '', ['9', '10', '31', '200']],
    ['state', '', ['31', '9', '200', '10']],
    ['id', 'bra', ['31', '200']],
    ['id', '1', ['10', '31']],
    ['id', '  ZHAO ', ['10']],
    ['id', 'nobody', []],
  ] as const)('sort by %s, filter %j', (sort, filter, expected) => {
    expect(orderMembers(members, filter, sort as SortKey, facts).map((x) => x.uid)).toEqual(expected);
  });
});

describe('parseUidList', () => {
  it.each([
    ['', [], [], []],
    ['1\n2\n3', ['1', '2', '3'], [], []],
    ['1, 2;3  4\t5', ['1', '2', '3', '4', '5'], [], []],
    ['1，2、3', ['1', '2', '3'], [], []],
    ['1 1 2', ['1', '2'], [], []],
    ['42 bad! 7', ['7'], ['bad!'], ['42']],
  ] as const)('%j', (text, toAdd, invalid, alreadyWatched) => {
    expect(parseUidList(text, new Set(['42']))).toEqual({ toAdd, invalid, alreadyWatched });
  });
});
