// Lint: typescript-eslint's recommended type-aware rules, plus the boundary that keeps the core free of
// Azure Functions and of the emulator (the emulator must never confirm the product's own mistakes).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tenure/**', 'bin/**', 'eslint.config.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      eqeqeq: ['error', 'smart'],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@azure/functions', '@azure/functions-core'],
              message: 'shared/ is the core: no Azure Functions imports.',
            },
            {
              group: ['**/emulator/**', '**/devhost/**', '**/test/**'],
              message: 'Product code never imports dev-only code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['functions/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/emulator/**', '**/devhost/**', '**/test/**'],
              message: 'Product code never imports dev-only code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/shared/**', '**/functions/**'],
              message: 'The emulator shares no code with the product.',
            },
          ],
        },
      ],
    },
  },
);
