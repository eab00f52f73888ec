import { describe, expect, it } from 'vitest';
import {
  isAllowedNavigation,
  isExternalLinkToOpen,
  isTrustedSender,
  originOf,
  trustedOrigins,
} from './trust.js';

const packaged = trustedOrigins(undefined);
const dev = trustedOrigins('http://localhost:5173/');

describe('isTrustedSender', () => {
  it.each([
    ['app://lodestar/index.html', packaged, true],
    ['app://lodestar/', packaged, true],
    ['app://lodestar.evil.example/index.html', packaged, false],
    ['app://evil/index.html', packaged, false],
    ['file:///opt/lodestar/out/renderer/index.html', packaged, false],
    ['https://evil.example/', packaged, false],
    ['http://localhost:5173/', packaged, false],
    ['http://localhost:5173/', dev, true],
    ['http://localhost:5174/', dev, false],
    ['about:blank', packaged, false],
    ['', packaged, false],
    [undefined, packaged, false],
    ['not a url', packaged, false],
  ])('frame %s → %s', (url, origins, trusted) => {
    expect(isTrustedSender(url, origins)).toBe(trusted);
  });
});

describe('trustedOrigins', () => {
  it.each([
    [undefined, ['app://lodestar']],
    ['http://localhost:5173', ['app://lodestar', 'http://localhost:5173']],
    ['http://127.0.0.1:5173/x', ['app://lodestar', 'http://127.0.0.1:5173']],
    // Only a local dev server may be trusted, whatever the environment variable says.
    ['https://evil.example', ['app://lodestar']],
    ['http://192.168.1.5:5173', ['app://lodestar']],
  ])('dev server %s → %j', (devUrl, expected) => {
    expect([...trustedOrigins(devUrl)]).toEqual(expected);
  });
});

describe('isAllowedNavigation', () => {
  it.each([
    ['app://lodestar/#/history', true],
    ['https://www.openstreetmap.org/', false],
    ['javascript:alert(1)', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedNavigation(url, packaged)).toBe(allowed);
  });
});

it.each([
  ['app://lodestar/a/b', 'app://lodestar'],
  ['http://localhost:5173/a', 'http://localhost:5173'],
  ['nope', undefined],
])('originOf(%s) = %s', (url, origin) => {
  expect(originOf(url)).toBe(origin);
});

describe('isExternalLinkToOpen', () => {
  it.each([
    ['https://example.com/help', true],
    ['http://example.com/', true],
    ['app://lodestar/index.html', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['mailto:ops@example.com', false],
    ['not a url', false],
    ['', false],
  ])('%s → %s', (url, open) => {
    expect(isExternalLinkToOpen(url)).toBe(open);
  });
});
