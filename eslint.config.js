// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'bench/out/', '.samba-ci*/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        projectService: {
          // the JS entry points sit outside tsconfig.json's include; the default project types them
          allowDefaultProject: ['bin/*.js', 'scripts/*.mjs', 'eslint.config.js'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Matching control characters is the point where they appear: directory values are escaped or flagged for them
      // and terminal output is compared without ANSI colour codes.
      'no-control-regex': 'off',
      // `const { generatedAt: _generatedAt, ...rest } = report` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    // Plain JavaScript has no annotations, so every parameter is `any` by default, not by choice.
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['tests/**'],
    rules: {
      // Vitest types its asymmetric matchers (expect.stringContaining, expect.objectContaining) as `any` so that they
      // fit any expected shape; assigning them inside an expected object is how they are meant to be used.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // Fakes implement async interfaces (Connector, ReadOnlyDirectory) without awaiting anything; `async` keeps their
      // throws as rejections, the way the real ldapts client fails.
      '@typescript-eslint/require-await': 'off',
    },
  },
  prettier,
);
