// ESLint for the whole tree: typescript-eslint's type-checked recommended rules, tuned for
// this code (see docs/contributing.md), and import boundaries that keep the layers apart.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const FRAMEWORKS_AND_IO = [
  'typeorm',
  'type-graphql',
  'graphql',
  'graphql-scalars',
  'class-validator',
  'class-transformer',
  'dataloader',
  'pg',
  'fastify',
  'pino',
  '@apollo/*',
  '@as-integrations/*',
  '@electric-sql/*',
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'net',
  'node:net',
  'http',
  'node:http',
  'https',
  'node:https',
  'child_process',
  'node:child_process',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', '.data-*/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      // Fastify handlers and hooks, Apollo plugins and TypeORM callbacks are async by contract
      // (a Fastify handler that is not async must call reply.send itself).
      '@typescript-eslint/require-await': 'off',
      // `_name` marks a value taken apart only to leave it out (`const { a: _a, ...rest } = x`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    // Tests (and the benchmark clients) read GraphQL answers as untyped JSON and check them with expect(): the no-unsafe
    // family would demand a type for every response shape for no safety gained.
    files: [
      'test/**/*.ts',
      '**/*.test.ts',
      'src/**/testing/**/*.ts',
      'scripts/bench-api.ts',
      'scripts/bench-benchmark.ts',
    ],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // Tests wrap and replace methods of the objects they observe.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Plain CommonJS scripts run by node directly (the start script, the load generator).
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The respondent page's script runs in the browser as a classic script.
    files: ['public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
  {
    // The scoring engine is pure: no framework, database or I/O.
    files: ['src/scoring/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: FRAMEWORKS_AND_IO, message: 'src/scoring is pure: no framework, database or I/O imports.' },
            {
              group: ['**/modules/**', '**/db/**', '**/graphql/**', '**/server', '**/config'],
              message: 'src/scoring depends on nothing else in src/.',
            },
          ],
        },
      ],
    },
  },
  {
    // Infrastructure does not know the domains: they are handed to it (src/app-modules.ts).
    files: ['src/db/**/*.ts', 'src/graphql/**/*.ts', 'src/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/modules/**'],
              message: 'src/db, src/graphql and src/http must not import domain modules; pass what they need in.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
