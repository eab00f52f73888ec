import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * Layers, enforced: each entry says what a folder may not import. Relative paths are matched by folder name, so a
 * move that breaks a layer fails lint instead of relying on review.
 *
 *   protocol/   nothing outside itself (every other layer imports it)
 *   contract/   protocol/ only (the host-neutral station contract: API types, channels, errors, wire codec)
 *   relay/      nothing of the station (contract/, electron/, renderer/)
 *   electron/core  no `electron`, no shell or host (electron/main, electron/preload, electron/web), no renderer
 *   renderer/   protocol/ and contract/ only, and of protocol/ only the dependency-free files at runtime
 */
const outside = (...folders) =>
  folders.map((f) => [`../${f}/**`, `../../${f}/**`, `../../../${f}/**`, `../../../../${f}/**`]).flat();
const electronModule = {
  name: 'electron',
  message: 'Only electron/main and electron/preload may import electron.',
};

function layer(files, patterns, paths = [], extra = {}) {
  return {
    files,
    ...extra,
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'renderer/dist/', 'miniprogram/dist/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  layer(
    ['protocol/**'],
    [
      {
        group: ['../*', '../**'],
        message: 'protocol/ is the bottom layer: it imports nothing outside itself.',
      },
    ],
    [electronModule],
  ),
  layer(
    ['contract/**'],
    [
      {
        group: outside(
          'relay',
          'electron',
          'renderer',
          'test',
          'scripts',
          'bench',
          'simulator',
          'miniprogram',
        ),
        message:
          'contract/ depends on protocol/ only: it is shared by the core, both hosts and the renderer.',
      },
      { group: ['node:*'], message: 'contract/ runs in the browser too: no Node modules.' },
    ],
    [
      electronModule,
      {
        name: 'zod',
        message:
          'The renderer imports contract/: keep zod out of it (validators live in electron/core/hosting).',
      },
    ],
  ),
  layer(
    ['relay/**'],
    [
      {
        group: outside('contract', 'electron', 'renderer', 'miniprogram'),
        message: 'relay/ knows nothing of the station: share through protocol/.',
      },
    ],
    [electronModule],
  ),
  layer(
    ['electron/core/**'],
    [
      {
        group: outside('main', 'preload', 'web', 'renderer'),
        message: 'electron/core is host-neutral: no shell, host or renderer code.',
      },
    ],
    [electronModule],
  ),
  layer(
    ['electron/web/**'],
    [{ group: outside('main', 'preload'), message: 'The browser host does not use the Electron shell.' }],
    [electronModule],
  ),
  layer(
    ['renderer/src/**'],
    [
      {
        group: outside('relay', 'electron', 'test', 'scripts', 'bench', 'simulator', 'miniprogram'),
        message: 'The renderer sees only protocol/ and contract/.',
      },
      {
        group: [
          '**/protocol/fix.js',
          '**/protocol/messages.js',
          '**/protocol/ingest.js',
          '**/protocol/token.js',
          '**/protocol/index.js',
        ],
        allowTypeImports: true,
        message:
          'These carry zod into the bundle: import values from protocol/fix-limits.js (types are fine).',
      },
      { group: ['node:*'], message: 'The renderer runs in a browser: no Node modules.' },
    ],
    [electronModule, { name: 'zod', message: 'Keep zod out of the renderer bundle.' }],
    { ignores: ['renderer/src/**/*.test.ts', 'renderer/src/**/*.test.tsx'] },
  ),
  {
    // Raw IPC only in the two typed wrappers, so every channel goes through the one channel map (Heroic's habit).
    files: ['electron/main/**', 'electron/preload/**'],
    ignores: ['electron/main/ipc.ts', 'electron/preload/ipc.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportSpecifier[imported.name=/^ipc(Main|Renderer)$/]',
          message: 'Use the typed wrappers in electron/main/ipc.ts and electron/preload/ipc.ts.',
        },
      ],
    },
  },
  layer(
    ['electron/preload/**', 'electron/main/**'],
    [
      {
        group: outside('web', 'renderer'),
        message:
          'The Electron shell shares code with the browser host through electron/core and contract/ only.',
      },
    ],
  ),
  {
    files: ['miniprogram/**'],
    languageOptions: {
      globals: {
        wx: 'readonly',
        App: 'readonly',
        Page: 'readonly',
        getApp: 'readonly',
        getCurrentPages: 'readonly',
      },
    },
  },
);
