// Lint rules for the library, the sample, the tests and the benchmarks: typescript-eslint's
// type-checked recommendations; formatting is Prettier's job (eslint-config-prettier turns style rules off).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'data/**',
      'node_modules/**',
      'coverage/**',
      '**/*.mjs',
      '*.config.js',
      '.dependency-cruiser.cjs',
      'test/packaging/consumer/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Ports return promises; an `async` implementation turns a synchronous throw into a rejection
      // the caller can handle, even when it has nothing to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests inspect what was thrown and what came back over the wire, which TypeScript types as `any`.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  prettier,
);
