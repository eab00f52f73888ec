import { describe, expect, it } from 'vitest';
import { allowedHosts, hostAllowed, keyMatches, newSecret, originAllowed } from './guard.js';
import { resolveStaticPath } from '../core/hosting/renderer-files.js';

const hosts = allowedHosts('127.0.0.1', 5180);

describe('keyMatches', () => {
  it.each([
    ['s3cret', 's3cret', true],
    ['s3cret', 's3creT', false],
    ['s3cret', 's3cre', false],
    ['s3cret', '', false],
    ['s3cret', undefined, false],
    ['s3cret', null, false],
    ['s3cret', 'x'.repeat(5000), false],
  ])('expected %s, given %s → %s', (expected, given, ok) => {
    expect(keyMatches(expected, given)).toBe(ok);
  });

  it('makes a new unguessable secret each run', () => {
    const a = newSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newSecret()).not.toBe(a);
  });
});

describe('hostAllowed', () => {
  it.each([
    ['127.0.0.1:5180', true],
    ['localhost:5180', true],
    ['LOCALHOST:5180', true],
    ['127.0.0.1:5181', false],
    ['evil.example:5180', false], // DNS rebinding: a name that resolves to us
    ['127.0.0.1', false],
    [undefined, false],
  ])('Host %s → %s', (host, ok) => {
    expect(hostAllowed(host, hosts)).toBe(ok);
  });
});

describe('originAllowed', () => {
  it.each([
    [undefined, true],
    ['http://127.0.0.1:5180', true],
    ['http://localhost:5180', true],
    ['https://127.0.0.1:5180', false],
    ['http://127.0.0.1:9999', false],
    ['https://evil.example', false],
    ['null', false],
    ['not a url', false],
  ])('Origin %s → %s', (origin, ok) => {
    expect(originAllowed(origin, hosts)).toBe(ok);
  });
});

describe('resolveStaticPath', () => {
  it.each([
    ['/', '/srv/r'],
    ['/index.html', '/srv/r/index.html'],
    ['/assets/a.js?v=1', '/srv/r/assets/a.js'],
    ['/../etc/passwd', '/srv/r/etc/passwd'],
    ['/%2e%2e/%2e%2e/etc/passwd', '/srv/r/etc/passwd'],
    ['/a%00b', undefined],
    ['/%E0%A4%A', undefined],
  ])('%s → %s', (urlPath, expected) => {
    expect(resolveStaticPath('/srv/r', urlPath)).toBe(expected);
  });
});
