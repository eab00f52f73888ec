import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWebHostArgs, isWildcardAddress } from './args.js';

const defaults = {
  relayUrl: undefined,
  relayCaFile: undefined,
  token: undefined,
  tokenFile: undefined,
  dataDir: join(homedir(), '.lodestar-station'),
  host: '127.0.0.1',
  port: 5180,
  help: false,
};

describe('parseWebHostArgs', () => {
  it.each([
    ['no flags', [], {}, defaults],
    ['help', ['--help'], {}, { ...defaults, help: true }],
    ['short help', ['-h'], {}, { ...defaults, help: true }],
    [
      'flags',
      ['--relay-url', 'wss://relay.example:30582', '--token-file', '/t', '--data-dir', '/d', '--port', '0'],
      {},
      { ...defaults, relayUrl: 'wss://relay.example:30582', tokenFile: '/t', dataDir: '/d', port: 0 },
    ],
    [
      'environment',
      [],
      { LODESTAR_RELAY_URL: 'ws://r:1', LODESTAR_TOKEN: 'abc', LODESTAR_WEB_PORT: '8080' },
      { ...defaults, relayUrl: 'ws://r:1', token: 'abc', port: 8080 },
    ],
    [
      'relay CA file',
      ['--relay-ca-file', '/ca.pem'],
      { LODESTAR_RELAY_CA_FILE: '/other.pem' },
      { ...defaults, relayCaFile: '/ca.pem' },
    ],
    [
      'relay CA file from env',
      [],
      { LODESTAR_RELAY_CA_FILE: '/ca.pem' },
      { ...defaults, relayCaFile: '/ca.pem' },
    ],
    ['flag wins over env', ['--port', '9'], { LODESTAR_WEB_PORT: '8080' }, { ...defaults, port: 9 }],
    ['empty env is unset', [], { LODESTAR_TOKEN: '' }, defaults],
  ])('%s', (_name, argv, env, expected) => {
    expect(parseWebHostArgs(argv, env)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['unknown flag', ['--nope'], {}, /nope/],
    ['http relay url', ['--relay-url', 'http://x'], {}, /ws:\/\//],
    ['port text', ['--port', 'abc'], {}, /--port/],
    ['port too big', ['--port', '70000'], {}, /--port/],
    ['both token sources', ['--token', 'a', '--token-file', 'b'], {}, /either/],
    ['positional', ['extra'], {}, /extra|positional/i],
    ['wildcard host', ['--host', '0.0.0.0'], {}, /wildcard/],
    ['wildcard host 0', ['--host', '0'], {}, /wildcard/],
    ['wildcard host ::0', ['--host', '::0'], {}, /wildcard/],
  ])('refuses %s', (_name, argv, env, message) => {
    const parsed = parseWebHostArgs(argv, env);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe('isWildcardAddress', () => {
  it.each([
    ['0.0.0.0', true],
    ['0', true],
    ['0.0', true],
    ['0x0', true],
    ['::', true],
    ['::0', true],
    ['[::]', true],
    ['0:0:0:0:0:0:0:0', true],
    ['::ffff:0.0.0.0', true],
    ['127.0.0.1', false],
    ['::1', false],
    ['localhost', false],
    ['192.168.1.20', false],
    ['not an address!', false],
  ])('%s → %s', (host, wildcard) => {
    expect(isWildcardAddress(host)).toBe(wildcard);
  });
});
