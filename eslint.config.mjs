// ESLint (flat config): typescript-eslint's recommended rules over our TypeScript and the bench
// scripts, with Prettier owning layout (eslint-config-prettier turns the formatting rules off).
// `npm run lint` runs this and `prettier --check`; `.ci/run` runs it before the tests.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'var/**',
      'public/**',
      'coverage/**',
      'sandboxes/**',
      'test/fixtures/**',
      // Candidates' code and hidden tests used as data by the sandbox corpora: written the way
      // each ecosystem (or an attacker) writes them, not in our style.
      'test/sandbox/*/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Stripping control characters from untrusted text is something this code does on purpose.
      'no-control-regex': 'off',
    },
  },
  // TypeScript checks names itself; no-undef only misreads type-only globals.
  // No `any` in the product: raw SQL rows get an interface of the columns they read, driver errors
  // a narrow `{ code?: string }`, unknown JSON `unknown`.
  { files: ['**/*.ts'], rules: { 'no-undef': 'off', '@typescript-eslint/no-explicit-any': 'error' } },
  // Tests reach into loosely typed payloads (JSON bodies, fuzzed input) and load modules lazily.
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  // ES module scripts run by Node (the test OpenID provider).
  { files: ['**/*.mjs'], languageOptions: { globals: { ...globals.node } } },
  // Plain Node scripts (benchmarks, launchers): CommonJS.
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
