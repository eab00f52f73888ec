import { describe, expect, it } from 'vitest';
import { parseDuration, parseTokenArgs, parseWatchArgs } from './args.js';

describe('parseDuration', () => {
  it.each([
    ['45s', 45],
    ['30m', 1800],
    ['8h', 28_800],
    ['7d', 604_800],
    ['90', 90],
    ['0', undefined],
    ['8x', undefined],
    ['-5m', undefined],
    ['', undefined],
  ])('%s → %s', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });
});

describe('parseTokenArgs', () => {
  it.each([
    [
      ['operator', '--id', 'alice', '--members', '42,43', '--ttl', '8h'],
      { role: 'operator', id: 'alice', members: ['42', '43'], ttlSeconds: 28_800 },
    ],
    [
      ['operator', '--id=bob', '--members=*'],
      { role: 'operator', id: 'bob', members: '*', ttlSeconds: 28_800 },
    ],
    [
      ['operator', '--id', 'c', '--members', '1', '--members', '2,1'],
      { role: 'operator', id: 'c', members: ['1', '2'], ttlSeconds: 28_800 },
    ],
    [['member', '--uid', '42'], { role: 'member', uid: '42', ttlSeconds: 2_592_000 }],
    [['member', '--uid', '42', '--ttl', '60'], { role: 'member', uid: '42', ttlSeconds: 60 }],
  ])('%j', (argv, value) => {
    expect(parseTokenArgs(argv)).toEqual({ ok: true, value });
  });

  it.each([
    [[], /"operator" or "member"/],
    [['admin'], /"operator" or "member"/],
    [['operator', '--members', '*'], /--id is required/],
    [['operator', '--id', 'a'], /--members is required/],
    [['operator', '--id', 'a', '--members', 'a b'], /invalid uids/],
    [['operator', '--id', 'a', '--members', '*', '--ttl', 'forever'], /--ttl must/],
    [['operator', '--id', 'a', '--members', '*', '--uid', '3'], /unknown option --uid/],
    [['member'], /--uid is required/],
  ])('%j is refused', (argv, message) => {
    const r = parseTokenArgs(argv);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(message);
  });

  it('--help', () => expect(parseTokenArgs(['--help'])).toEqual({ ok: false, help: true, errors: [] }));
});

describe('parseWatchArgs', () => {
  it.each([
    [
      ['--url', 'ws://h:1', '--token', 't', '--member', '42', '--member', '43,44'],
      {},
      { url: 'ws://h:1', token: 't', members: ['42', '43', '44'] },
    ],
    [
      ['--member', '1'],
      { LODESTAR_TOKEN: 'env' },
      { url: 'ws://127.0.0.1:30582', token: 'env', members: ['1'] },
    ],
    [
      ['--url', 'wss://h', '--token', 't', '--member', '1', '--ca-file', '/ca.pem'],
      { LODESTAR_CA_FILE: '/other.pem' },
      { url: 'wss://h', token: 't', members: ['1'], caFile: '/ca.pem' },
    ],
    [
      ['--url', 'wss://h', '--token', 't', '--member', '1'],
      { LODESTAR_CA_FILE: '/ca.pem' },
      { url: 'wss://h', token: 't', members: ['1'], caFile: '/ca.pem' },
    ],
    [
      ['--member', '1', '--state', 'seen.json'],
      { LODESTAR_TOKEN: 'env' },
      { url: 'ws://127.0.0.1:30582', token: 'env', members: ['1'], state: 'seen.json' },
    ],
  ])('%j', (argv, env, value) => {
    expect(parseWatchArgs(argv, env)).toEqual({ ok: true, value });
  });

  it.each([
    [['--member', '1'], /--token/],
    [['--token', 't'], /at least one --member/],
    [['--token', 't', '--member', '1', '--url', 'http://x'], /ws:\/\//],
    [['--token', 't', '--member', 'a b'], /invalid member/],
    [['--token', 't', '--member', '1', 'extra'], /unexpected argument/],
  ])('%j is refused', (argv, message) => {
    const r = parseWatchArgs(argv, {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(message);
  });
});
