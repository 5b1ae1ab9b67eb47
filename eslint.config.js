// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/**
 * typescript-eslint's strict type-checked rules, minus the few that fight how
 * a NestJS codebase is written (each switched off below says why). Prettier
 * owns formatting, so eslint-config-prettier turns the stylistic rules off.
 */
export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'coverage/**', 'node_modules/**', 'libs/*/dist/**', 'examples/*/dist/**', 'libs/*/node_modules/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Response DTOs are classes so that Swagger and class-validator can read their metadata, and
      // are filled as plain object literals: an instance made by `new` adds nothing.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      // Nest modules are empty classes carrying a decorator.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      // `x!` states what the code just established (a Map entry after `has`, a row after a join);
      // the alternative is a runtime check that can never fail.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Static factories (`UserDto.from`) are passed to `map` by design; they never read `this`.
      '@typescript-eslint/unbound-method': ['error', { ignoreStatic: true }],
      // An async method that implements a Promise-returning interface needs no `await` to be right.
      '@typescript-eslint/require-await': 'off',
      // Rethrowing or rejecting with what a library handed over (an `unknown`) is not inventing a non-Error.
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Spreading a string counts code points, which is what the length rules mean.
      '@typescript-eslint/no-misused-spread': ['error', { allow: [{ from: 'lib', name: 'string' }] }],
    },
  },
  {
    // Test and benchmark code reads HTTP bodies, which supertest and fetch type as `any`.
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.spec.ts', 'libs/*/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Cleanup hooks guard against a setup hook that failed half-way, which the types cannot know.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // Unsetting an environment variable is a delete.
      '@typescript-eslint/no-dynamic-delete': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  prettier,
);
