// ESLint for the whole repository: `npm run lint` (zero warnings). Type-aware rules read each file's
// own tsconfig (tsconfig.json references one project per target).
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Workflow code is replayed in Temporal's deterministic sandbox: no Node, no I/O, no clients. */
const notInWorkflows = {
  paths: [
    ...builtinModules
      .filter((name) => !name.startsWith('_'))
      .map((name) => ({
        name,
        message: 'Node built-ins do not run in the workflow sandbox: do it in an activity.',
      })),
    ...[
      '@temporalio/activity',
      '@temporalio/client',
      '@temporalio/worker',
      'mongodb',
      'openai',
      'isolated-vm',
      'express',
      'ws',
    ].map((name) => ({
      name,
      message: 'Not workflow-safe (I/O or Node): do it in an activity.',
    })),
  ],
  patterns: [{ group: ['node:*'], message: 'Node built-ins do not run in the workflow sandbox: do it in an activity.' }],
};

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      '.tools/',
      '.tsbuild/',
      '.evoscope/',
      'web/dist/',
      'test-artifacts/',
      'tools/',
      // Evolvable component files: written (and rewritten) by people and by the evolution engine, checked by the sandbox.
      'components/',
    ],
  },
  {
    files: ['**/*.{ts,tsx,mts}'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // As tsc's noUnusedLocals/noUnusedParameters: a leading underscore marks a deliberately unused name.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // Server code, tests and benchmarks: the full type-checked set.
    files: ['**/*.{ts,mts}'],
    ignores: ['web/src/**'],
    extends: [tseslint.configs.recommendedTypeCheckedOnly],
  },
  {
    // Tests (and the harness they share with the benchmarks) read untyped JSON and WebSocket frames off the
    // wire and fake async interfaces with plain values; what they receive is checked by their assertions, not by types.
    files: ['test/**/*.{ts,tsx}', 'bench/**/*.ts', 'harness/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/restrict-plus-operands': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.{js,cjs,mjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  {
    // Everything the workflow bundle contains: the workflows and the pure code they import.
    files: ['workflows/**/*.ts', 'evolution/**/*.ts', 'domain/**/*.ts'],
    ignores: ['domain/server/**'],
    rules: { 'no-restricted-imports': ['error', notInWorkflows] },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      // An async event handler in JSX is React's own idiom; floating promises elsewhere stay errors.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
    languageOptions: { globals: globals.browser },
  },
);
