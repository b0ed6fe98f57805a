// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'ui/dist/', 'node_modules/', 'coverage/', '.data/', 'test/artifacts/', 'bench/results/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    // No consistent-type-imports: Nest's DI reads constructor and parameter types at run time
    // (emitDecoratorMetadata), so a class imported only "as a type" must stay a value import.
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The benchmark's raw baseline reads untyped JSON and rows on purpose, like the floor it is.
    files: ['bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The dashboard runs in the browser.
    files: ['ui/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // CommonJS config and helper files.
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
