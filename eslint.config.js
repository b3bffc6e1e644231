// ESLint: the JavaScript recommended rules plus typescript-eslint's recommended rules (the
// syntax-only set: no type information needed, so no TypeScript program is built). The
// parser uses the TypeScript 6 JavaScript API (package.json's `typescript`, an alias of
// @typescript/typescript6); `tsc` is TypeScript 7 (@typescript/native), which has no such API.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    'dist/',
    // Not a module by design: the hostile gallery's fixture for a guest that fails to parse.
    'demos/hostile/syntax-error.js',
    // Git-ignored scratch guests (the live-edit tests write them).
    'demos/scratch/',
    'test/fixtures/scratch/',
    'test/*.tmp.ts',
  ]),
  {
    files: ['**/*.{js,mjs,cjs,ts,mts,cts}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
  },
  // Globals only matter for JavaScript files (typescript-eslint turns `no-undef` off for
  // TypeScript, where tsc checks names). Guests run in workers; the page in a browser.
  {
    files: ['compositor/**', 'guest-runtime/**', 'shared/**', 'demos/**', 'test/fixtures/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
  },
  {
    files: ['scripts/**', 'test/**', 'bench/**', 'tooling/**', '*.config.{js,ts}'],
    ignores: ['test/fixtures/**'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
);
