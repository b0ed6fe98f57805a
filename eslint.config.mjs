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
    // CompiledValidationPipe executes class-validator's metadata and one conversion,
    // @NumberFromQuery: DTOs use no other class-transformer decorator, which it could not see.
    // Only the decorator itself and the environment (validated by class-validator directly) import it.
    files: ['src/**/*.ts'],
    ignores: ['src/common/validation.ts', 'src/config/environment.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['class-transformer', 'class-transformer/*'],
              message: 'DTOs convert with @NumberFromQuery only.',
            },
            { group: ['class-validator/*'], message: "Only class-validator's public API (its index)." },
          ],
        },
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
