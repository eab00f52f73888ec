import { expect, it } from 'vitest';
import { secureWebPreferences } from './web-preferences.js';

it.each([
  ['contextIsolation', true],
  ['sandbox', true],
  ['nodeIntegration', false],
  ['nodeIntegrationInWorker', false],
  ['nodeIntegrationInSubFrames', false],
  ['webSecurity', true],
  ['allowRunningInsecureContent', false],
  ['webviewTag', false],
  ['preload', '/app/out/preload/index.cjs'],
] as const)('every window gets %s = %s', (key, value) => {
  expect(secureWebPreferences('/app/out/preload/index.cjs')[key]).toBe(value);
});
