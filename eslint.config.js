import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
  {
    // Station logic must run under plain Node: only the thin shell may import electron.
    files: ['electron/core/**', 'electron/web/**', 'protocol/**', 'relay/**', 'renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' },
          ],
        },
      ],
    },
  },
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
