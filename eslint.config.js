// Lint for the browser apps and their shared UI (the server workspaces are held by `tsc --strict` and tests).
// React's hooks rules catch what types cannot: a hook called conditionally, an effect missing a dependency.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'ui/src/api/schema.d.ts'] },
  {
    files: ['ui/src/**/*.{ts,tsx}', 'portal/src/**/*.{ts,tsx}', 'admin/src/**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // The apps may bundle only the pure domain module of @mnetifi/db (style.md §1).
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@mnetifi/db', message: 'Browser code imports @mnetifi/db/domain only.' }],
          patterns: [{ group: ['@mnetifi/db/src/*', '@mnetifi/db/testing', 'node:*'], message: 'Not in browser code.' }],
        },
      ],
    },
  },
  // Unit tests run in Node and may use its modules.
  { files: ['**/*.test.ts'], rules: { 'no-restricted-imports': 'off' } },
)
