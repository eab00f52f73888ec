import { describe, expect, it } from 'vitest';
import { parseClientMessage, parseServerMessage } from './messages.js';

describe('parseClientMessage', () => {
  it.each([
    ['{"type":"watch","members":[{"uid":"42"},{"uid":"43","since":{"epoch":"e1","offset":7}}]}', 'watch'],
    ['{"type":"unwatch","members":["42"]}', 'unwatch'],
    ['{"type":"auth","token":"a.b.c"}', 'auth'],
    ['{"type":"history","id":"h1","uid":"42","from":0,"to":10}', 'history'],
    ['{"type":"range","id":"r1","uid":"42","epoch":"e","from":3,"to":9}', 'range'],
    ['{"type":"ping"}', 'ping'],
  ])('accepts %s', (text, type) => {
    const r = parseClientMessage(text);
    expect(r.ok && r.value.type).toBe(type);
  });

  it.each([
    ['{not json', 'bad_json'],
    ['[1]', 'bad_message'],
    ['"watch"', 'bad_message'],
    ['{"members":[]}', 'bad_message'],
    ['{"type":7}', 'bad_message'],
    ['{"type":"subscribe"}', 'unknown_type'],
    ['{"type":"watch","members":"42"}', 'bad_field'],
    ['{"type":"watch","members":[]}', 'bad_field'],
    ['{"type":"watch","members":[{"uid":-42}]}', 'bad_field'],
    ['{"type":"watch","members":[{"uid":4.2}]}', 'bad_field'],
    ['{"type":"history","uid":"42","from":0,"to":1}', 'bad_field'],
    ['{"type":"range","id":"x","uid":"42","epoch":"e","from":"1","to":2}', 'bad_field'],
  ])('refuses %s with %s', (text, code) => {
    const r = parseClientMessage(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(code);
  });
});

describe('parseClientMessage: request ids and partly invalid watches', () => {
  it.each([
    ['{"type":"subscribe","id":"s1"}', 'unknown_type', 's1'],
    ['{"type":"history","id":"h1","uid":"42","from":"0","to":1}', 'bad_field', 'h1'],
    ['{"type":7,"id":"t1"}', 'bad_message', 't1'],
    ['{"type":"watch","id":"w1","members":[]}', 'bad_field', 'w1'],
    ['{"type":"watch","id":"","members":[]}', 'bad_field', undefined],
    ['{not json', 'bad_json', undefined],
  ])('%s → %s with id %s', (text, code, id) => {
    const r = parseClientMessage(text);
    expect(r).toMatchObject({ ok: false, reason: code });
    expect(r.id).toBe(id);
  });

  it('takes integer member ids as their decimal strings', () => {
    const r = parseClientMessage('{"type":"watch","members":[{"uid":42}]}');
    expect(r.ok && r.value).toEqual({ type: 'watch', members: [{ uid: '42' }] });
    const u = parseClientMessage('{"type":"unwatch","members":[42,"43"]}');
    expect(u.ok && u.value).toEqual({ type: 'unwatch', members: ['42', '43'] });
  });

  it('watches the valid members of a watch and names each invalid one', () => {
    const r = parseClientMessage(
      '{"type":"watch","id":"w","members":[{"uid":"ok"},{"uid":"a b"},{"uid":"7"},{"uid":{"x":1}}]}',
    );
    expect(r.ok && r.value).toEqual({ type: 'watch', id: 'w', members: [{ uid: 'ok' }, { uid: '7' }] });
    expect(r.id).toBe('w');
    expect(r.rejectedMembers?.map((m) => m.uid)).toEqual(['a b', '{"x":1}']);
    const none = parseClientMessage('{"type":"watch","id":"w","members":[{"uid":"a b"}]}');
    expect(none).toMatchObject({
      ok: false,
      reason: 'bad_field',
      id: 'w',
      rejectedMembers: [{ uid: 'a b' }],
    });
  });
});

describe('parseServerMessage', () => {
  it('accepts a fix and refuses a fix without coordinates', () => {
    const fix = { uid: '42', lat: 23.1, lon: 113.3, ts: 1, crs: 'gcj02', epoch: 'e', offset: 1 };
    expect(parseServerMessage(JSON.stringify({ type: 'fix', fix })).ok).toBe(true);
    expect(parseServerMessage(JSON.stringify({ type: 'fix', fix: { uid: '42', ts: 1 } })).ok).toBe(false);
  });
});
